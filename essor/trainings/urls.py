from django.urls import path

from essor.trainings import views, views_operator
from essor.trainings.feeds import UpcomingSessionsFeed

app_name = "trainings"
urlpatterns = [
    path("", views.path_list, name="path_list"),
    path("parcours/<slug:slug>/", views.path_detail, name="path_detail"),
    path("modules/<slug:slug>/", views.module_detail, name="module_detail"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/flux.atom", UpcomingSessionsFeed(), name="session_feed"),
    path("sessions/calendrier.ics", views.calendar_ics, name="calendar_ics"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/inscription/", views.session_register, name="register"),
    path("sessions/<int:pk>/annulation/", views.session_cancel, name="cancel"),
    path("evaluation/<int:registration_pk>/", views.evaluate, name="evaluate"),
    path("operateur/", views_operator.operator_dashboard, name="operator_dashboard"),
    path("operateur/sessions/nouvelle/", views_operator.session_edit, name="session_create"),
    path("operateur/sessions/<int:pk>/", views_operator.session_manage, name="session_manage"),
    path("operateur/sessions/<int:pk>/modifier/", views_operator.session_edit, name="session_edit"),
    path("operateur/sessions/<int:pk>/annuler/", views_operator.session_cancel, name="session_cancel"),
    path("rapports/sessions/<int:pk>/", views_operator.session_report, name="session_report"),
    path("rapports/parcours/<slug:slug>/", views_operator.path_report, name="path_report"),
    path("rapports/experimentation/", views_operator.experimentation_report, name="experimentation_report"),
]
