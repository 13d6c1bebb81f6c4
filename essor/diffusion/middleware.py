"""The partner side of the public API (/api/): CORS, quotas by address or API key, caching validators.

- CORS: any origin may GET the public API (no cookies are involved: `Access-Control-Allow-Origin: *`), and
  preflight requests are answered here, for the `X-API-Key` header.
- Quotas (essor.diffusion.quota): over quota, 429 in the API's one error format with `Retry-After`; every answer
  carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`. An unknown key is a 401, never a silent
  fall-back to the anonymous quota.
- Length: a query string over MAX_QUERY_STRING characters is a 414 in the same format (no operation takes that
  much; the web servers in front would otherwise answer with their own HTML page, or not at all).
- Validators: a successful GET gets a strong `ETag` (hash of the body) and `Cache-Control: public`; when a view
  says which release answered (`request.essor_release`), `Last-Modified` is the release's switch-in time and
  `Essor-Release` its vintage. `If-None-Match` / `If-Modified-Since` then answer 304.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from essor.core.errors import error_body
from essor.diffusion import quota
from essor.diffusion.models import ApiKey

API_PREFIX = "/api/"
# The API's own description is not counted: reading the docs should never use up a partner's quota.
UNCOUNTED = ("/api/v1/openapi.json", "/api/v1/docs")
KEY_HEADER = "HTTP_X_API_KEY"
MAX_QUERY_STRING = 2048
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since, X-API-Key"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Essor-Release, Link"


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _error(status: int, code: str, message: str, details=None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status)


class PartnerApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return self._preflight()
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            message = f"The query string is longer than {MAX_QUERY_STRING} characters."
            return _cors(_error(414, "uri_too_long", message))
        api_key = None
        presented = request.META.get(KEY_HEADER, "").strip()
        if presented:
            api_key = ApiKey.objects.matching(presented)
            if api_key is None:
                return _cors(_error(401, "invalid_api_key", "Unknown or revoked API key (header X-API-Key)."))
        if request.path.startswith(UNCOUNTED):
            decision = quota.Decision(True, None, None, 0)
        else:
            decision = quota.count(request, api_key)
        if decision.allowed:
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                response = self._validators(request, response)
        else:
            response = _error(
                429,
                "rate_limited",
                f"Too many requests: {decision.limit} allowed per window; retry in {decision.reset} s. "
                "Partners can ask for an API key with a higher quota.",
                {"limit": decision.limit, "retry_after": decision.reset, "keyed": api_key is not None},
            )
            response["Retry-After"] = str(decision.reset)
        if decision.limit is not None:
            response["RateLimit-Limit"] = str(decision.limit)
            response["RateLimit-Remaining"] = str(decision.remaining)
            response["RateLimit-Reset"] = str(decision.reset)
        if presented:
            patch_vary_headers(response, ["X-API-Key"])
        return _cors(response)

    @staticmethod
    def _preflight():
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = "86400"
        return _cors(response)

    @staticmethod
    def _validators(request, response):
        if response.streaming or response.has_header("Cache-Control"):
            return response
        release = getattr(request, "essor_release", None)
        last_modified = None
        if release is not None:
            switched = release.finished_at or release.created_at
            last_modified = int(switched.timestamp())
            response["Last-Modified"] = http_date(last_modified)
            response["Essor-Release"] = release.vintage.isoformat() + (
                " synthetic" if release.synthetic else ""
            )
        if not response.has_header("ETag"):
            response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["Cache-Control"] = f"public, max-age={settings.ESSOR_API_CACHE_SECONDS}"
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        return conditional
