"""Absolute URLs, one way everywhere (feeds, API, emails, open-data catalogues).

From the request when there is one: the address the reader used (host checked by ALLOWED_HOSTS, scheme by
SECURE_PROXY_SSL_HEADER behind a proxy), so links follow the port and host the site is really served on. Without a
request (emails sent by the task worker, commands) from the SITE_URL setting (ESSOR_SITE_URL, docs/settings.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_root(request: HttpRequest | None = None) -> str:
    """Scheme and host, no trailing slash: 'https://essor.example.org'."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` ('/fr/…') made absolute; an already absolute URL is returned unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return site_root(request) + path
