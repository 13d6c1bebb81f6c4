from django.urls import path

from essor.resources import views
from essor.resources.feeds import NewResourcesFeed

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("export.csv", views.resource_csv, name="resources_csv"),
    path("flux.atom", NewResourcesFeed(), name="feed"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
    path("experiences/", views.experience_list, name="experiences"),
    path("experiences/export.csv", views.experience_csv, name="experiences_csv"),
    path("experiences/carte/", views.experience_map, name="experience_map"),
    path("experiences/synthese/", views.synthesis, name="synthesis"),
    path("experiences/synthese.csv", views.synthesis_csv, name="synthesis_csv"),
    path("experiences/<slug:slug>/", views.experience_detail, name="experience"),
    path("<slug:slug>/", views.resource_detail, name="detail"),
]
