from django.urls import path

from essor.study import views

app_name = "study"

edition = "<slug:study>/<slug:edition>/v<int:version>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(edition, views.edition_page, name="edition"),
    path(edition + "<str:lang>.pdf", views.edition_pdf, name="pdf"),
    path(edition + "figures/<int:number>.csv", views.figure_csv, name="figure_csv"),
    path(edition + "fiches/<str:territory>/", views.factsheet, name="factsheet"),
    path(edition + "differences/", views.edition_diff, name="diff"),
    path(edition + "workflow/", views.workflow_action, name="workflow"),
]
