"""Issue 16 §5 and §8: sign-in, admin sign-in and password reset are rate limited in the shared cache; sign-up
does not reveal who has an account; account pages are never cached."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from essor.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "deja.la@example.org",
    "first_name": "Nour",
    "last_name": "Test",
    "audience": "prefect_delegate",
    "language": "fr",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, settings):
    settings.ESSOR_RATE_LIMITS = {"login": "30/h", "login-account": "10/h"}
    make_user(email="cible@example.org", username="cible@example.org")
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": "cible@example.org", "password": f"faux-{n}"}).status_code
        for n in range(40)
    ]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    right = client.post(url, {"username": "cible@example.org", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert "Trop de tentatives" in html.unescape(right.content.decode())
    assert int(right["Retry-After"]) > 0


def test_login_limit_per_address_holds_across_accounts(client, settings):
    settings.ESSOR_RATE_LIMITS = {"login": "5/h", "login-account": "100/h"}
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": f"p{n}@example.org", "password": "x"}).status_code for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    other_client = client.post(url, {"username": "p0@example.org", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


def test_admin_login_is_rate_limited(client, settings):
    settings.ESSOR_RATE_LIMITS = {"login": "30/h", "login-account": "3/h"}
    make_user(email="admin@example.org", username="admin@example.org", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for n in range(3):
        assert client.post(url, {"username": "admin@example.org", "password": f"faux-{n}"}).status_code == 200
    refused = client.post(url, {"username": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 429 and "_auth_user_id" not in client.session


def test_password_reset_is_rate_limited_per_target_account(client, settings, mailoutbox):
    settings.ESSOR_RATE_LIMITS = {"password-reset": "100/h", "password-reset-account": "2/h"}
    make_user(email="oubli@example.org", username="oubli@example.org")
    url = reverse("accounts:password_reset")
    statuses = [client.post(url, {"email": "oubli@example.org"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert len(mailoutbox) == 2  # the owner's inbox is not flooded


def test_limits_are_counted_in_the_shared_database_cache(client, settings):
    """Gunicorn workers share nothing but the database: the counter must live there, not in process memory."""
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    client.post(reverse("accounts:login"), {"username": "x@example.org", "password": "x"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM essor_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("essor-ratelimit:login:" in key for key in keys)


def _page_without_csrf(response) -> str:
    text = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def _hashes_during(monkeypatch, action) -> int:
    calls = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    action()
    monkeypatch.setattr(MD5PasswordHasher, "encode", original)
    return len(calls)


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(
    client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    owner = make_user(email="deja.la@example.org", username="deja.la@example.org", language="en")
    responses = {}

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            responses[email] = client.post(reverse("accounts:signup"), {**SIGNUP, "email": email})

    existing_hashes = _hashes_during(monkeypatch, lambda: post("deja.la@example.org"))
    new_hashes = _hashes_during(monkeypatch, lambda: post("nouveau@example.org"))
    existing, new = responses["deja.la@example.org"], responses["nouveau@example.org"]
    assert existing.status_code == new.status_code == 200
    assert _page_without_csrf(existing).replace("deja.la@example.org", "X") == _page_without_csrf(
        new
    ).replace("nouveau@example.org", "X")
    assert "existe déjà" not in existing.content.decode()
    # The same costly work either way (the password hash is what a timing attack would see).
    assert existing_hashes == new_hashes == 1
    # One email each: the newcomer's confirmation link, and a warning to the owner, in the owner's language.
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"deja.la@example.org", "nouveau@example.org"}
    warning = by_recipient["deja.la@example.org"]
    assert warning.subject == "You already have an essor account"
    assert "/en/compte/mot-de-passe/" in warning.body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)  # the existing account is untouched
    assert get_user_model().objects.filter(username="deja.la@example.org").count() == 1


def test_account_pages_are_never_stored(client):
    user = make_user(email="moi@example.org", username="moi@example.org")
    client.force_login(user)
    for name in ["accounts:dashboard", "accounts:profile", "accounts:login", "accounts:export"]:
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, name
