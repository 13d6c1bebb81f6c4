"""A small fixed-window rate limiter on Django's cache, for sign-up and registration.

Limits come from settings.ESSOR_RATE_LIMITS, e.g. {"signup": "5/h", "registration": "30/h"}; "0" disables a scope.
Shared caches (e.g. Redis) make it hold across workers; the default local-memory cache limits per process.
"""

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATES = {"signup": "5/h", "registration": "30/h"}
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


def rate_for(scope: str) -> tuple[int, int] | None:
    rates = {**DEFAULT_RATES, **getattr(settings, "ESSOR_RATE_LIMITS", {})}
    return parse_rate(rates.get(scope, ""))


def allow(scope: str, key: str) -> bool:
    """Count one attempt for (scope, key); False once the limit of the current window is passed."""
    rate = rate_for(scope)
    if rate is None:
        return True
    limit, period = rate
    window = int(time.time() // period)
    cache_key = f"essor-ratelimit:{scope}:{window}:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count <= limit


def client_key(request) -> str:
    """The client's address; behind a proxy, configure it to set REMOTE_ADDR (we never trust X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR", "unknown")
