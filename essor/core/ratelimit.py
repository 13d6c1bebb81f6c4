"""The one rate limiter of essor: fixed windows counted in the shared cache (settings.CACHES["default"]).

Limits come from settings.ESSOR_RATE_LIMITS, e.g. {"login": "20/h", "signup": "5/h"}; "0" disables a scope.
The default cache is the database (ESSOR_CACHE_URL, docs/settings.md), so every gunicorn worker and host counts
in the same place: a per-process cache would multiply each limit by the number of workers.

Views use `limit_posts(...)` (a decorator: POSTs over the limit get a 429 page with Retry-After) or call
`allow(scope, key)` themselves; the API answers 429 in its own JSON format with the same counters.
"""

import functools
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

DEFAULT_RATES = {
    "signup": "5/h",
    "registration": "30/h",
    "login": "30/h",
    "login-account": "10/h",
    "password-reset": "10/h",
    "password-reset-account": "3/h",
    "directory-export": "10/h",
}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """'5/h' -> (5, 3600); '0' or '' -> None (no limit)."""
    if not rate or rate == "0":
        return None
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period or "h"]
    except (ValueError, KeyError) as exc:
        raise ValueError(f"Rate {rate!r} is not of the form N/s, N/m, N/h or N/d.") from exc


def configured_rate(scope: str) -> str:
    """The rate of a scope as written in the settings (or the default), e.g. '30/h'; '' when unlimited."""
    return {**DEFAULT_RATES, **getattr(settings, "ESSOR_RATE_LIMITS", {})}.get(scope, "")


def rate_for(scope: str) -> tuple[int, int] | None:
    return parse_rate(configured_rate(scope))


def count(scope: str, key: str, rate: tuple[int, int], now: float | None = None) -> tuple[int, int]:
    """Count one attempt for (scope, key) at `rate` (limit, period): (attempts in this window, seconds left)."""
    period = rate[1]
    now = time.time() if now is None else now
    window = int(now // period)
    seconds_left = max(1, int(period - now % period))
    return _count(f"essor-ratelimit:{scope}:{window}:{key}", seconds_left), seconds_left


def allow(scope: str, key: str) -> bool:
    """Count one attempt for (scope, key); False once the limit of the current window is passed."""
    rate = rate_for(scope)
    if rate is None:
        return True
    return count(scope, key, rate)[0] <= rate[0]


def _count(cache_key: str, seconds_left: int) -> int:
    """Add one to the counter and return it; it lives until its window ends."""
    if isinstance(caches["default"], DatabaseCache):  # `cache` itself is a proxy to it
        # Django's database cache has no atomic incr (it is a get then a set that resets the timeout to 5 min):
        # read and write in one transaction (SQLite's IMMEDIATE transactions serialise them).
        with transaction.atomic():
            used = (cache.get(cache_key) or 0) + 1
            cache.set(cache_key, used, timeout=seconds_left)
        return used
    # Redis, Memcached and local memory: add then incr, both atomic, and incr keeps the expiry.
    cache.add(cache_key, 0, timeout=seconds_left)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds_left)
        return 1


def retry_after(scope: str) -> int:
    """Seconds until the current window of `scope` ends (for the Retry-After header)."""
    rate = rate_for(scope)
    if rate is None:
        return 0
    period = rate[1]
    return max(1, int(period - time.time() % period))


def client_key(request: HttpRequest) -> str:
    """The client's address; behind a proxy, configure it to set REMOTE_ADDR (we never trust X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR", "unknown")


def posted(field: str) -> Callable[[HttpRequest], str]:
    """A key from a posted field (e.g. the email address a login or reset targets), lower-cased."""

    def key(request: HttpRequest) -> str:
        return "field:" + request.POST.get(field, "").strip().lower()

    return key


KeyedScope = tuple[str, Callable[[HttpRequest], str]]


def first_refusal(request: HttpRequest, limits: Iterable[KeyedScope]) -> str | None:
    """Count the request in every (scope, key) and return the first scope over its limit, or None.

    Every scope is counted, even after a refusal, so a client hammering two accounts hits both limits."""
    refused = None
    for scope, key in limits:
        if not allow(scope, key(request)) and refused is None:
            refused = scope
    return refused


def too_many_requests(request: HttpRequest, scope: str) -> HttpResponse:
    response = render(
        request,
        "core/too_many_requests.html",
        {"minutes": max(1, round(retry_after(scope) / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after(scope))
    return response


def limit_posts(*limits: KeyedScope):
    """Decorator: POSTs over any of the limits get the 429 page; GETs (showing the form) are never counted."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                refused = first_refusal(request, limits)
                if refused is not None:
                    return too_many_requests(request, refused)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
