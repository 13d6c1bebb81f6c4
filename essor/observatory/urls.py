from django.urls import path

from essor.core import views as core_views

app_name = "observatory"
urlpatterns = [path("metropoles/", core_views.home, name="benchmark")]
