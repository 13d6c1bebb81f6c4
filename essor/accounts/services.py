"""Account life cycle: sign-up, email confirmation, personal-data export, deletion."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from essor.accounts import personal_data
from essor.accounts.models import Profile
from essor.core.emails import recipient_language, render_plain_text
from essor.core.urls_absolute import absolute_url

CONFIRMATION_SALT = "essor.accounts.confirm-email"
CONFIRMATION_MAX_AGE = 3 * 24 * 3600  # three days


class InvalidConfirmation(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_account(
    *, email, password, first_name="", last_name="", organisation=None, audience="other", language="fr"
):
    """An inactive account (it becomes active when the email is confirmed) and its member profile."""
    email = normalise_email(email)
    with transaction.atomic():
        # A never-confirmed account for this address is replaced (the form refuses confirmed ones).
        get_user_model().objects.filter(
            username=email, is_active=False, profile__email_confirmed_at=None
        ).delete()
        user = get_user_model().objects.create_user(
            username=email,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_active=False,
        )
        Profile.objects.create(user=user, organisation=organisation, audience=audience, language=language)
        transaction.on_commit(lambda: send_confirmation_email.enqueue(user.pk))
    return user


def is_taken(email: str) -> bool:
    """An account exists for this address and is not a never-confirmed one (those may sign up again)."""
    return (
        get_user_model()
        .objects.filter(username=normalise_email(email))
        .exclude(is_active=False, profile__email_confirmed_at=None)
        .exists()
    )


def sign_up(*, email, password, **details) -> None:
    """Sign-up that does not reveal whether the address has an account: the visitor sees the same page, after the
    same work (one password hash, one email queued), either way; the owner of an existing account is told by email.
    """
    if is_taken(email):
        make_password(password)  # the hash create_account computes: same time either way
        owner = get_user_model().objects.get(username=normalise_email(email))
        transaction.on_commit(lambda: send_existing_account_email.enqueue(owner.pk))
        return
    create_account(email=email, password=password, **details)


def confirmation_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT, compress=True)


def confirm_email(token: str):
    """Activate the account the token was issued for. Raises InvalidConfirmation when expired or tampered."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature as exc:
        raise InvalidConfirmation from exc
    user = get_user_model().objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise InvalidConfirmation
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        Profile.objects.filter(user=user).update(email_confirmed_at=timezone.now())
    return user


@task
def send_confirmation_email(user_id: int) -> bool:
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if user is None:
        return False
    with translation.override(recipient_language(user)):
        url = absolute_url(reverse("accounts:confirm", args=[confirmation_token(user)]))
        context = {"user": user, "confirmation_url": url, "days": CONFIRMATION_MAX_AGE // 86400}
        subject = render_plain_text("accounts/email/confirm_subject.txt", context).strip()
        body = render_plain_text("accounts/email/confirm_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@task
def send_existing_account_email(user_id: int) -> bool:
    """To the owner of an address someone tried to sign up with: sign in or reset the password, or ignore."""
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if user is None:
        return False
    with translation.override(recipient_language(user)):
        context = {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        }
        subject = render_plain_text("accounts/email/existing_account_subject.txt", context).strip()
        body = render_plain_text("accounts/email/existing_account_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def export_personal_data(user) -> dict:
    """Everything essor holds about the person, as JSON-ready data (GDPR right of access and portability)."""
    profile = getattr(user, "profile", None)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "organisation": profile.organisation.name if profile and profile.organisation_id else None,
            "role": profile.role if profile else None,
            "audience": profile.audience if profile else None,
            "language": profile.language if profile else None,
            "email_confirmed_at": profile.email_confirmed_at.isoformat()
            if profile and profile.email_confirmed_at
            else None,
        },
    }
    for part in personal_data.registered():
        data[part.key] = part.export(user)
    return data


def delete_account(user) -> None:
    """Delete the person and their personal data; registrations and evaluation scores stay, anonymised.

    What other apps hold is erased or anonymised by what they registered in essor.accounts.personal_data
    (trainings: upcoming places freed, registrations kept anonymised, free-text comments erased), in the same
    transaction.
    """
    with transaction.atomic():
        for part in personal_data.registered():
            part.erase(user)
        user.delete()
