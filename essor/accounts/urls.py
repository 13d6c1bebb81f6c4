from django.urls import path
from django.views.decorators.cache import never_cache

from essor.accounts import views

app_name = "accounts"
# Account pages show personal data: never stored by a browser or a shared proxy ("private, no-store").
urlpatterns = [
    path("", never_cache(views.dashboard), name="dashboard"),
    path("connexion/", never_cache(views.login), name="login"),
    path("deconnexion/", never_cache(views.logout_view), name="logout"),
    path("inscription/", never_cache(views.signup), name="signup"),
    path("confirmer/<str:token>/", never_cache(views.confirm), name="confirm"),
    path("profil/", never_cache(views.profile_edit), name="profile"),
    path("mes-donnees.json", never_cache(views.export), name="export"),
    path("supprimer/", never_cache(views.delete), name="delete"),
    path("mot-de-passe/", never_cache(views.password_reset), name="password_reset"),
    path("mot-de-passe/envoye/", never_cache(views.password_reset_done), name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        never_cache(views.password_reset_confirm),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/termine/", never_cache(views.password_reset_complete), name="password_reset_complete"),
]
