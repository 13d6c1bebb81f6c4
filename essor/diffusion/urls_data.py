"""Machine-readable addresses, the same in every language: open-data files and the DCAT catalogue."""

from django.urls import path

from essor.diffusion import views_opendata

app_name = "diffusion_data"
urlpatterns = [
    path("catalog.jsonld", views_opendata.catalog, name="catalog"),
    path("opendata/<str:vintage>/<str:name>", views_opendata.opendata_file, name="opendata_file"),
]
