from django.urls import path

from essor.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("glossaire/", views.glossary, name="glossary"),
    path("methodologie/", views.methodology, name="methodology"),
]
