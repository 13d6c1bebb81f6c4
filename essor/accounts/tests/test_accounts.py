"""Sign-up with email confirmation, sign-in by email, password reset, personal-data export, account deletion."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from essor.accounts.services import confirmation_token
from essor.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Nouvelle.Personne@Example.org",
    "first_name": "Nour",
    "last_name": "Test",
    "audience": "prefect_delegate",
    "language": "en",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def test_signup_sends_a_confirmation_link_in_the_chosen_language_then_confirming_allows_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert "nouvelle.personne@example.org" in response.content.decode()
    user = get_user_model().objects.get(username="nouvelle.personne@example.org")
    assert (
        not user.is_active and user.profile.language == "en" and user.profile.audience == "prefect_delegate"
    )
    assert [m.to for m in mailoutbox] == [["nouvelle.personne@example.org"]]
    assert mailoutbox[0].subject == "Confirm your essor account"

    # Not confirmed yet: signing in is refused with a clear message.
    refused = client.post(
        reverse("accounts:login"), {"username": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert "pas encore confirmée" in refused.content.decode()

    confirm_path = link_in(mailoutbox[0].body).split("8000", 1)[1]
    assert client.get(confirm_path).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.profile.email_confirmed_at is not None

    signed_in = client.post(
        reverse("accounts:login"), {"username": SIGNUP["email"].upper(), "password": SIGNUP["password1"]}
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("accounts:dashboard")


def test_a_tampered_confirmation_link_is_refused(client):
    user = make_user(is_active=False)
    token = confirmation_token(user)
    response = client.get(reverse("accounts:confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"password2": "autre-chose-123"}, "password2", "Les deux mots de passe sont différents."),
        ({"password1": "123", "password2": "123"}, "password1", "trop court"),
        ({"email": "pas-une-adresse"}, "email", "adresse de courriel valide"),
    ],
)
def test_signup_form_explains_what_is_wrong(client, change, field, message):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert field in response.context["form"].errors
    assert not get_user_model().objects.exists()


def test_signup_is_rate_limited(client, settings):
    settings.ESSOR_RATE_LIMITS = {"signup": "2/h"}
    from django.core.cache import cache

    cache.clear()
    for n in range(2):
        assert (
            client.post(reverse("accounts:signup"), {**SIGNUP, "email": f"p{n}@example.org"}).status_code
            == 200
        )
    blocked = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "p3@example.org"})
    assert blocked.status_code == 429
    assert "Trop d'inscriptions" in html.unescape(blocked.content.decode())
    assert not get_user_model().objects.filter(username="p3@example.org").exists()


def test_forms_require_the_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("accounts:signup"), SIGNUP).status_code == 403
    assert (
        strict.post(reverse("accounts:login"), {"username": "x@example.org", "password": "x"}).status_code
        == 403
    )


def test_password_reset_emails_a_working_link(client, mailoutbox):
    user = make_user(email="oubli@example.org", username="oubli@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "oubli@example.org"})
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "Réinitialisez votre mot de passe essor"
    link = link_in(mailoutbox[0].body).split("testserver", 1)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nouveau-secret-2026", "new_password2": "nouveau-secret-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-secret-2026")


def test_logout_needs_post(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302


@pytest.mark.parametrize(
    "territory, valid",
    [
        ("epci:243100518", True),
        ("region:76", True),
        ("france:FR", True),
        ("", True),
        ("epci:12", False),
        ("Toulouse", False),
    ],
)
def test_organisation_territory_is_a_territory_identifier(territory, valid):
    from django.core.exceptions import ValidationError

    from essor.accounts.models import Organisation

    organisation = Organisation(name="Test", kind="local_authority", territory=territory)
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError, match="identifiant de territoire"):
            organisation.full_clean()


def test_an_address_never_confirmed_can_sign_up_again(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), {**SIGNUP, "first_name": "Nour-2"})
    assert len(mailoutbox) == 2
    user = get_user_model().objects.get(username="nouvelle.personne@example.org")
    assert user.first_name == "Nour-2"
    assert client.get("/" + link_in(mailoutbox[1].body).split("/", 3)[3]).status_code == 302
    # Once confirmed, the address is taken for good: signing up again only warns its owner (see test_abuse).
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/compte/inscription/", SIGNUP)
    assert mailoutbox[2].subject == "You already have an essor account"
    assert get_user_model().objects.get(username="nouvelle.personne@example.org").first_name == "Nour-2"


def test_an_operator_cannot_move_to_another_organisation_by_themselves(client):
    from essor.accounts.models import Role
    from essor.accounts.tests.factories import OrganisationFactory

    own, other = OrganisationFactory(), OrganisationFactory()
    operator = make_user(role=Role.OPERATOR, organisation=own)
    client.force_login(operator)
    client.post(
        reverse("accounts:profile"), {"organisation": other.pk, "audience": "other", "language": "en"}
    )
    operator.profile.refresh_from_db()
    assert operator.profile.organisation == own and operator.profile.language == "en"
    member = make_user()
    client.force_login(member)
    client.post(
        reverse("accounts:profile"), {"organisation": other.pk, "audience": "other", "language": "fr"}
    )
    member.profile.refresh_from_db()
    assert member.profile.organisation == other
