"""Observatory pages (under /fr/observatoire/ and /en/observatoire/)."""

from django.urls import path

from essor.observatory import views

app_name = "observatory"
TERRITORY = "territoires/<str:kind>/<str:code>/"
urlpatterns = [
    path("metropoles/", views.benchmark, name="benchmark"),
    path("metropoles.<str:fmt>", views.benchmark_export, name="benchmark_export"),
    path(TERRITORY, views.profile, name="profile"),
    path(TERRITORY + "fiche.pdf", views.factsheet_pdf, name="factsheet_pdf"),
    path(TERRITORY + "annuaire/", views.directory, name="directory"),
    path(TERRITORY + "annuaire.<str:fmt>", views.directory_export, name="directory_export"),
    path("exports/<str:token>/", views.export_status, name="export_status"),
    path("exports/<str:token>/fichier", views.export_download, name="export_download"),
    path(TERRITORY + "carte.geojson", views.map_points, name="map_points"),
    path(TERRITORY + "graphiques/<str:name>.svg", views.chart, name="chart"),
    path("etablissements/<str:siret>/", views.establishment, name="establishment"),
    path("releases/", views.quality_reports, name="quality_reports"),
    path("releases/<int:pk>/qualite/", views.quality_report, name="quality_report"),
]
