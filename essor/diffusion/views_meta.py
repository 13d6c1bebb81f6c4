"""Machine-readable entry points: oEmbed, robots.txt (the sitemap index is Django's, over sitemaps.SITEMAPS)."""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from essor.core.errors import error_body
from essor.core.urls_absolute import absolute_url
from essor.diffusion.oembed import CACHE_AGE, NotEmbeddable, oembed_document

# Never crawled: accounts, back office, operators' tools and reports, exports and the API's machinery.
DISALLOWED = ("/admin/", "/compte/", "/formations/operateur/", "/formations/rapports/", "/pilotage/")


def _positive(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@require_GET
def oembed(request):
    url = request.GET.get("url", "").strip()
    if request.GET.get("format", "json") != "json":
        return JsonResponse(error_body("format_not_implemented", "Only format=json is served."), status=501)
    if not url:
        return JsonResponse(error_body("invalid_parameters", "`url` is required."), status=400)
    try:
        document = oembed_document(
            url, request, _positive(request.GET.get("maxwidth")), _positive(request.GET.get("maxheight"))
        )
    except NotEmbeddable:
        return JsonResponse(error_body("not_embeddable", "This address has no widget."), status=404)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={CACHE_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def robots(request):
    lines = ["User-agent: *"]
    for prefix in ("fr", "en"):
        lines += [f"Disallow: /{prefix}{path}" for path in DISALLOWED]
    lines += ["Allow: /", "", f"Sitemap: {absolute_url(reverse('diffusion_data:sitemap'), request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
