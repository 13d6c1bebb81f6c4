"""Machine-readable addresses, the same in every language: open-data files, the DCAT catalogue, oEmbed, sitemap
and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from essor.diffusion import views_meta, views_opendata
from essor.diffusion.sitemaps import SITEMAPS

app_name = "diffusion_data"
urlpatterns = [
    path("catalog.jsonld", views_opendata.catalog, name="catalog"),
    path("opendata/<str:vintage>/<str:name>", views_opendata.opendata_file, name="opendata_file"),
    path("oembed", views_meta.oembed, name="oembed"),
    path("robots.txt", views_meta.robots, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "diffusion_data:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
