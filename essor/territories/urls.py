"""Territory pages (URLs are not translated; the language is the prefix)."""

from django.urls import path

from essor.territories import views

app_name = "territories"
urlpatterns = [
    path("territoires/", views.search, name="search"),
    path("territoires/localiser/", views.locate, name="locate"),
    path("territoires/<str:kind>/<str:code>/", views.detail, name="detail"),
    path("territoires/<str:kind>/<str:code>/qpv.geojson", views.qpv_geojson, name="qpv_geojson"),
]
