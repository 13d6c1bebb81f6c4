"""URL map: language-prefixed pages (/fr/, /en/), plus unprefixed API, health check and feeds."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from essor.accounts.views import LOGIN_LIMITS
from essor.core import ratelimit
from essor.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", include("essor.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("essor.diffusion.urls_data")),
]

urlpatterns += i18n_patterns(
    path("", include("essor.core.urls")),
    path("", include("essor.territories.urls")),
    path("observatoire/", include("essor.observatory.urls")),
    path("donnees/", include("essor.sirene.urls")),
    path("compte/", include("essor.accounts.urls")),
    path("ressources/", include("essor.resources.urls")),
    path("formations/", include("essor.trainings.urls")),
    path("enquetes/", include("essor.surveys.urls")),
    path("etudes/", include("essor.study.urls")),
    path("pilotage/", include("essor.steering.urls")),
    path("", include("essor.diffusion.urls")),
    # The admin's sign-in counts in the same limits as the site's (same scopes, same shared cache).
    path("admin/login/", ratelimit.limit_posts(*LOGIN_LIMITS)(admin.site.login)),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = "essor.core.views.page_not_found"
handler500 = "essor.core.views.server_error"
