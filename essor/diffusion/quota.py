"""Request quotas of the public API: by client address, or by API key (a higher quota), in fixed windows counted
by the one rate limiter of essor (shared cache), answered with 429 and Retry-After."""

import time
from dataclasses import dataclass

from essor.core import ratelimit

clock = time.time  # the window's clock (tests hold it still, so a burst never straddles two windows)
ANONYMOUS = "api"
KEYED = "api-key"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int | None  # None: no limit
    remaining: int | None
    reset: int  # seconds until the window ends


def rate_of(api_key) -> tuple[int, int] | None:
    if api_key is not None and api_key.rate:
        return ratelimit.parse_rate(api_key.rate)
    return ratelimit.rate_for(KEYED if api_key is not None else ANONYMOUS)


def count(request, api_key=None) -> Decision:
    """Count one request of this client (its API key, else its address) against its quota."""
    rate = rate_of(api_key)
    if rate is None:
        return Decision(True, None, None, 0)
    limit = rate[0]
    if api_key is not None:  # a key's own quota has its own counter (a changed quota starts afresh)
        scope, who = f"{KEYED}:{rate[0]}/{rate[1]}", f"key:{api_key.pk}"
    else:
        scope, who = ANONYMOUS, f"ip:{ratelimit.client_key(request)}"
    used, reset = ratelimit.count(scope, who, rate, now=clock())
    return Decision(used <= limit, limit, max(0, limit - used), reset)
