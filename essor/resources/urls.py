from django.urls import path

from essor.core import views as core_views

app_name = "resources"
urlpatterns = [path("", core_views.home, name="list")]
