from django.urls import path

from essor.core import views as core_views

app_name = "accounts"
urlpatterns = [path("", core_views.home, name="dashboard"), path("connexion/", core_views.home, name="login")]
