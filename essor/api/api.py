"""The public API v1 (OpenAPI at /api/v1/openapi.json, documentation at /api/v1/docs).

Each domain app exposes a django-ninja `router` in its own `api.py`; this module only assembles them.
"""

from django.shortcuts import render
from ninja import NinjaAPI, Swagger

from essor.core.errors import install_error_handlers


class LocalSwagger(Swagger):
    """Swagger UI from the site's static files (vendored swagger-ui-dist): the CDN page was blank under our CSP."""

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/swagger.html", {"api": api, "swagger_settings": settings})


api = NinjaAPI(
    docs=LocalSwagger(),
    title="essor API",
    version="1",
    description=(
        "Open API of essor: France's territorial reference and QPV lookup, ESS indicators from SIRENE releases, "
        "and the programme's resources and training sessions. Figures carry their release vintage. "
        "Licence Ouverte 2.0 for the data."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)


def _mount():
    from essor.diffusion.api import router as diffusion_router
    from essor.observatory.api import router as observatory_router
    from essor.resources.api import router as resources_router
    from essor.territories.api import router as territories_router
    from essor.trainings.api import router as trainings_router

    api.add_router("", territories_router)
    api.add_router("", observatory_router)
    api.add_router("", resources_router)
    api.add_router("", trainings_router)
    api.add_router("", diffusion_router)


_mount()
