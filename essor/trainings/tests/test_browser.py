"""End to end in a real browser: sign up -> confirm by email -> register -> the operator marks attendance -> evaluate."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from essor.accounts.models import OrganisationKind, Role
from essor.accounts.tests.factories import PASSWORD, OrganisationFactory, make_user
from essor.trainings.models import Evaluation, Registration
from essor.trainings.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email, password):
    page.goto("/fr/compte/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def sign_out(page):
    page.goto("/fr/compte/")
    page.click("text=Se déconnecter")


def test_sign_up_confirm_register_attend_evaluate(page):
    cress = OrganisationFactory(name="CRESS Démo", kind=OrganisationKind.CRESS)
    operator = make_user(
        role=Role.OPERATOR, organisation=cress, email="op@example.org", username="op@example.org"
    )
    session = SessionFactory(operator=cress, module__title_fr="Les bases de l'ESS", capacity=5)

    # Sign up, then open the confirmation link received by email.
    page.goto("/fr/compte/inscription/")
    page.fill("#id_email", "nouvelle@example.org")
    page.select_option("#id_audience", "prefect_delegate")
    page.fill("#id_password1", "un-mot-de-passe-solide")
    page.fill("#id_password2", "un-mot-de-passe-solide")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Consultez vos courriels")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    page.wait_for_selector("text=Votre adresse électronique est confirmée")

    # Sign in and register.
    sign_in(page, "nouvelle@example.org", "un-mot-de-passe-solide")
    page.goto(session.get_absolute_url())
    page.click("text=S'inscrire")
    page.wait_for_selector("text=Vous êtes inscrit à cette session.")
    assert mail.outbox[-1].subject.startswith("Inscription confirmée")
    registration = Registration.objects.get(user__email="nouvelle@example.org")

    # The session takes place (time passes), the operator marks attendance.
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    sign_out(page)
    sign_in(page, operator.email, PASSWORD)
    page.goto(f"/fr/formations/operateur/sessions/{session.pk}/")
    page.check(f"input[name=present][value='{registration.pk}']")
    page.click("text=Enregistrer les présences")
    page.wait_for_selector("text=Présences enregistrées : 1 présents.")

    # The attendee evaluates from their account page.
    sign_out(page)
    sign_in(page, "nouvelle@example.org", "un-mot-de-passe-solide")
    page.click("text=Évaluer cette session")
    page.check("input[name=satisfaction][value='5']")
    page.check("input[name=usefulness][value='4']")
    for index in range(2):
        page.check(f"input[name=knowledge_{index}_before][value='2']")
        page.check(f"input[name=knowledge_{index}_after][value='4']")
    page.fill("#id_comments", "Très clair.")
    page.click("text=Envoyer mon évaluation")
    page.wait_for_selector("text=Merci pour votre évaluation !")
    evaluation = Evaluation.objects.get()
    assert evaluation.satisfaction == 5 and evaluation.comments == "Très clair."
    assert (evaluation.knowledge_before, evaluation.knowledge_after) == (2, 4)
