from django.urls import path

from essor.core import views as core_views

app_name = "territories"
urlpatterns = [path("territoires/", core_views.home, name="search")]
