"""Absolute URLs for documents read elsewhere (DCAT, oEmbed, embed code, sitemap): from the request when there is
one, else from the SITE_URL setting."""

from django.conf import settings


def absolute_url(path: str, request=None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
