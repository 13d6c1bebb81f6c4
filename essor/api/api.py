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


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
# Answered before any view, by essor.diffusion.middleware, on every operation.
MIDDLEWARE_RESPONSES = {
    401: ("Unknown or revoked API key (header X-API-Key): `invalid_api_key`.", {}),
    414: ("The query string is too long: `uri_too_long`.", {}),
    429: (
        "Over the quota of the client address or of the API key: `rate_limited`; retry after `Retry-After` seconds.",
        {"Retry-After": {"description": "Seconds until the quota resets.", "schema": {"type": "integer"}}},
    ),
}
API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-API-Key",
    "description": "Optional: a partner's key, for a higher quota. Without it, the quota of the client address.",
}


class EssorApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema plus what the middleware answers on every operation (401, 414, 429) and the optional
        API key. Every operation declares its own errors with core's ErrorOut, so that component is there."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})["ApiKey"] = API_KEY_SCHEME
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("security", [{}, {"ApiKey": []}])
                for status, (description, headers) in MIDDLEWARE_RESPONSES.items():
                    answer = {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    }
                    if headers:
                        answer["headers"] = headers
                    operation["responses"].setdefault(status, answer)
        return schema


api = EssorApi(
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
