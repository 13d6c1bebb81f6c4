from django.urls import path

from essor.steering import views

app_name = "steering"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("feuille-de-route/", views.roadmap_view, name="roadmap"),
    path("fiches/<int:number>/", views.sheet_detail, name="sheet"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention"),
    path("conventions/<int:pk>/rapport/", views.report, name="report"),
    path("comites/<int:pk>/", views.committee_detail, name="committee"),
    path("comites/<int:pk>/figer/", views.freeze_snapshot, name="freeze"),
    path("journal/", views.audit_trail, name="audit"),
]
