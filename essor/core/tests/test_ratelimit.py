import pytest

from essor.core import ratelimit


def test_parse_rate():
    assert ratelimit.parse_rate("5/h") == (5, 3600)
    assert ratelimit.parse_rate("10/m") == (10, 60)
    assert ratelimit.parse_rate("0") is None
    with pytest.raises(ValueError, match="N/s"):
        ratelimit.parse_rate("5/week")


@pytest.mark.django_db
def test_allow_counts_per_scope_and_key(settings):
    settings.ESSOR_RATE_LIMITS = {"signup": "2/h", "registration": "0"}
    assert [ratelimit.allow("signup", "1.2.3.4") for _ in range(3)] == [True, True, False]
    assert ratelimit.allow("signup", "5.6.7.8")  # another client has its own budget
    assert all(ratelimit.allow("registration", "user:1") for _ in range(100))  # "0" disables


@pytest.mark.django_db
def test_a_counter_outlives_the_database_cache_default_timeout(settings, monkeypatch):
    """Django's database cache resets a key's timeout to 5 minutes on incr: a client pausing 5 minutes would get a
    fresh budget. The counter must last until the end of its window."""
    import datetime
    import time as time_module

    from django.utils import timezone

    settings.ESSOR_RATE_LIMITS = {"signup": "2/h"}
    clock = {"now": 3600 * 500_000 + 10}  # 10 s into an hourly window

    monkeypatch.setattr(time_module, "time", lambda: clock["now"])
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime.fromtimestamp(clock["now"], datetime.UTC))
    assert ratelimit.allow("signup", "1.2.3.4") and ratelimit.allow("signup", "1.2.3.4")
    clock["now"] += 600  # 10 minutes later, same window
    assert not ratelimit.allow("signup", "1.2.3.4")
    clock["now"] += 3600  # the next window: a fresh budget
    assert ratelimit.allow("signup", "1.2.3.4")
