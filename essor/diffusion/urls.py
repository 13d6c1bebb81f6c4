"""Diffusion pages (language-prefixed: /fr/donnees-ouvertes/, /en/donnees-ouvertes/, widgets)."""

from django.urls import path

from essor.diffusion import views_opendata

app_name = "diffusion"
urlpatterns = [
    path("donnees-ouvertes/", views_opendata.opendata_index, name="opendata"),
    path("donnees-ouvertes/<str:vintage>/", views_opendata.opendata_release, name="opendata_release"),
]
