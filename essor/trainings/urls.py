from django.urls import path

from essor.core import views as core_views

app_name = "trainings"
urlpatterns = [path("sessions/", core_views.home, name="session_list")]
