"""Diffusion pages (language-prefixed): open data, widgets (framed by other sites), the embed-code generator."""

from django.urls import path

from essor.diffusion import views_opendata, views_widgets

app_name = "diffusion"
WIDGET_TERRITORY = "widgets/territoires/<str:kind>/<str:code>/"
urlpatterns = [
    path("donnees-ouvertes/", views_opendata.opendata_index, name="opendata"),
    path("donnees-ouvertes/<str:vintage>/", views_opendata.opendata_release, name="opendata_release"),
    path("integrer/", views_widgets.embed, name="embed"),
    path(WIDGET_TERRITORY + "chiffres/", views_widgets.widget_figures, name="widget_figures"),
    path(WIDGET_TERRITORY + "graphiques/<str:chart>/", views_widgets.widget_chart, name="widget_chart"),
    path("widgets/formations/sessions/", views_widgets.widget_sessions, name="widget_sessions"),
]
