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
