from django.urls import path

from essor.api.api import api

urlpatterns = [path("v1/", api.urls)]
