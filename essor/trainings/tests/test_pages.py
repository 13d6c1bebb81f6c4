"""Public and operator pages in both languages, with bounded query counts; no personal data in public pages."""

import csv
import html
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from essor.accounts.models import Audience, OrganisationKind, Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.trainings.models import Evaluation, Registration, RegistrationStatus
from essor.trainings.registration import register
from essor.trainings.tests.factories import ModuleFactory, SessionFactory, past_session

pytestmark = pytest.mark.django_db


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def catalogue():
    module = ModuleFactory()
    sessions = [SessionFactory(module=module) for _ in range(5)] + [
        past_session(module=module) for _ in range(3)
    ]
    person = make_user(first_name="Zoé", last_name="Secrète")
    for session in sessions[:5]:
        register(session, person)
    return {"module": module, "path": module.path, "sessions": sessions, "person": person}


@pytest.mark.parametrize("language, expected", [("fr", "Prochaines sessions"), ("en", "Upcoming sessions")])
def test_public_pages_in_both_languages_without_personal_data(
    client, catalogue, language, expected, django_assert_max_num_queries
):
    module, path, session = catalogue["module"], catalogue["path"], catalogue["sessions"][0]
    pages = [
        url("trainings:path_list", language=language),
        url("trainings:path_detail", path.slug, language=language),
        url("trainings:module_detail", module.slug, language=language),
        url("trainings:session_list", language=language),
        url("trainings:session_list", language=language) + "?when=past",
        url("trainings:session_detail", session.pk, language=language),
    ]
    for page in pages:
        with django_assert_max_num_queries(8):
            response = client.get(page)
        assert response.status_code == 200, page
        body = html.unescape(response.content.decode())
        assert f'lang="{language}"' in body
        assert "Secrète" not in body and catalogue["person"].email not in body, page
        assert session.link not in body, page
    listing = html.unescape(client.get(url("trainings:session_list", language=language)).content.decode())
    assert expected in listing
    assert (module.title_fr if language == "fr" else module.title_en) in listing


def test_session_list_filters_by_format_and_audience(client):
    SessionFactory(format="webinar", audiences=["prefect_delegate"], module__title_fr="Webinaire délégués")
    SessionFactory(
        format="in_person",
        place="Lille",
        link="",
        audiences=["resource_centre"],
        module__title_fr="Présentiel centres",
    )
    body = client.get(url("trainings:session_list") + "?format=in_person").content.decode()
    assert "Présentiel centres" in body and "Webinaire délégués" not in body
    body = client.get(url("trainings:session_list") + "?audience=prefect_delegate").content.decode()
    assert "Webinaire délégués" in body and "Présentiel centres" not in body


def test_registering_and_cancelling_through_the_page(client, django_capture_on_commit_callbacks, mailoutbox):
    session = SessionFactory(capacity=1)
    first, second = make_user(), make_user()
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url("trainings:register", session.pk), follow=True)
    assert "Vous êtes inscrit" in page.content.decode()
    assert session.link in page.content.decode()  # the registered person sees the connection link
    again = client.post(url("trainings:register", session.pk), follow=True)
    assert "déjà inscrit" in html.unescape(again.content.decode())

    client.force_login(second)
    full = client.get(url("trainings:session_detail", session.pk)).content.decode()
    assert "Rejoindre la liste d" in html.unescape(full)
    client.post(url("trainings:register", session.pk), {"waiting_list": "1"})
    assert session.registrations.get(user=second).status == RegistrationStatus.WAITING

    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("trainings:cancel", session.pk))
    assert session.registrations.get(user=second).status == RegistrationStatus.CONFIRMED
    assert mailoutbox[-1].to == [second.email]


def test_registration_needs_post_and_sign_in(client):
    session = SessionFactory()
    assert client.get(url("trainings:register", session.pk)).status_code == 405
    response = client.post(url("trainings:register", session.pk))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_registration_is_rate_limited(client, settings):
    settings.ESSOR_RATE_LIMITS = {"registration": "2/h"}
    cache.clear()
    client.force_login(make_user())
    sessions = [SessionFactory() for _ in range(3)]
    for session in sessions:
        client.post(url("trainings:register", session.pk))
    assert Registration.objects.count() == 2


def test_operator_marks_attendance_then_the_attendee_evaluates(client):
    operator_org = OrganisationFactory(kind=OrganisationKind.CRESS)
    operator = make_user(role=Role.OPERATOR, organisation=operator_org)
    session = past_session(operator=operator_org)
    present, absent = make_user(), make_user()
    reg_present = Registration.objects.create(
        session=session, user=present, status=RegistrationStatus.CONFIRMED
    )
    reg_absent = Registration.objects.create(
        session=session, user=absent, status=RegistrationStatus.CONFIRMED
    )

    client.force_login(operator)
    manage = client.get(url("trainings:session_manage", session.pk))
    assert present.email in manage.content.decode()  # the operator sees who registered
    sheet = client.get(url("trainings:session_manage", session.pk) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert sheet.splitlines()[0] == "last_name,first_name,email,audience,status,attended"
    assert present.email in sheet and absent.email in sheet
    client.post(url("trainings:session_manage", session.pk), {"present": [reg_present.pk]})
    reg_present.refresh_from_db()
    reg_absent.refresh_from_db()
    assert (reg_present.attended, reg_absent.attended) == (True, False)

    client.force_login(absent)
    refused = client.get(url("trainings:evaluate", reg_absent.pk))
    assert refused.status_code == 403 and "présentes" in html.unescape(refused.content.decode())

    client.force_login(present)
    form = client.get(url("trainings:evaluate", reg_present.pk))
    assert "Définir l" in html.unescape(form.content.decode())  # the module's objectives are asked
    answers = {
        "satisfaction": 5,
        "usefulness": 4,
        "knowledge_0_before": 1,
        "knowledge_0_after": 4,
        "knowledge_1_before": 2,
        "knowledge_1_after": 5,
        "question_0": "Une clause sociale",
        "comments": "Très utile",
    }
    incomplete = client.post(url("trainings:evaluate", reg_present.pk), {"satisfaction": 5})
    assert incomplete.status_code == 200 and "Ce champ est obligatoire" in incomplete.content.decode()
    client.post(url("trainings:evaluate", reg_present.pk), answers)
    evaluation = Evaluation.objects.get()
    assert (evaluation.knowledge_before, evaluation.knowledge_after) == (1.5, 4.5)
    assert evaluation.answers[0]["answer"] == "Une clause sociale"
    twice = client.get(url("trainings:evaluate", reg_present.pk))
    assert twice.status_code == 403 and "déjà évalué" in html.unescape(twice.content.decode())


def test_reports_count_and_export_as_csv(client, django_assert_max_num_queries):
    organisation = OrganisationFactory(kind=OrganisationKind.PREFECTURE)
    session = past_session(cress_region="76")
    for index in range(4):
        person = make_user(organisation=organisation, audience=Audience.PREFECT_DELEGATE)
        registration = Registration.objects.create(
            session=session,
            user=person,
            status=RegistrationStatus.CONFIRMED,
            attended=index < 3,
            audience=Audience.PREFECT_DELEGATE,
            organisation_kind=OrganisationKind.PREFECTURE,
        )
        if index < 2:
            Evaluation.objects.create(
                registration=registration,
                session=session,
                satisfaction=4 + index,
                usefulness=4,
                knowledge_before=2,
                knowledge_after=4,
            )
    client.force_login(make_user(role=Role.EDITOR))
    for name, args in [
        ("trainings:session_report", [session.pk]),
        ("trainings:path_report", [session.module.path.slug]),
        ("trainings:experimentation_report", []),
    ]:
        for language in ("fr", "en"):
            with django_assert_max_num_queries(12):
                assert client.get(url(name, *args, language=language)).status_code == 200
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(url("trainings:experimentation_report") + "?format=csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows == [
        {
            **rows[0],
            "region_code": "76",
            "audience": "prefect_delegate",
            "sessions": "1",
            "registered": "4",
            "attended": "3",
            "attendance_rate": "0.75",
            "evaluations": "2",
            "satisfaction": "4.5",
            "knowledge_gain": "2.0",
        }
    ]
    session_csv = client.get(url("trainings:session_report", session.pk) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert "by_organisation_kind,prefecture,4,0,0,3,0.75,2" in session_csv
    french = html.unescape(client.get(url("trainings:session_report", session.pk)).content.decode())
    assert "75\u00a0%" in french and "4,5" in french  # numbers in the page's language


def test_operator_dashboard_lists_only_their_organisations_sessions(client, django_assert_max_num_queries):
    own, other = (
        OrganisationFactory(kind=OrganisationKind.CRESS),
        OrganisationFactory(kind=OrganisationKind.CRESS),
    )
    SessionFactory(operator=own, module__title_fr="Session à nous")
    SessionFactory(operator=other, module__title_fr="Session des autres")
    past = past_session(operator=own, capacity=15)
    for index in range(3):
        registration = Registration.objects.create(
            session=past, user=make_user(), status=RegistrationStatus.CONFIRMED, attended=True
        )
        if index < 2:
            Evaluation.objects.create(registration=registration, session=past, satisfaction=4, usefulness=4)
    client.force_login(make_user(role=Role.OPERATOR, organisation=own))
    with django_assert_max_num_queries(8):
        response = client.get(url("trainings:operator_dashboard"))
    body = response.content.decode()
    assert "Session à nous" in body and "Session des autres" not in body
    (row,) = [s for s in response.context["past"] if s.pk == past.pk]
    assert (row.registered, row.attended, row.evaluated) == (3, 3, 2)  # no fan-out between the two counts


def test_operators_see_only_their_sessions_in_the_experimentation_report(client):
    own, other = (
        OrganisationFactory(kind=OrganisationKind.CRESS),
        OrganisationFactory(kind=OrganisationKind.CRESS),
    )
    for organisation, region in ((own, "76"), (other, "32")):
        session = past_session(operator=organisation, cress_region=region)
        Registration.objects.create(
            session=session,
            user=make_user(),
            status=RegistrationStatus.CONFIRMED,
            audience=Audience.LOCAL_AUTHORITY,
        )
    client.force_login(make_user(role=Role.OPERATOR, organisation=own))
    rows = client.get(url("trainings:experimentation_report")).context["rows"]
    assert [row["region_code"] for row in rows] == ["76"]
    client.force_login(make_user(role=Role.EDITOR))
    rows = client.get(url("trainings:experimentation_report")).context["rows"]
    assert sorted(row["region_code"] for row in rows) == ["32", "76"]


def test_account_page_in_both_languages(client, django_assert_max_num_queries):
    person = make_user(language="en")
    for session in (SessionFactory(), past_session()):
        Registration.objects.create(
            session=session, user=person, status=RegistrationStatus.CONFIRMED, attended=True
        )
    client.force_login(person)
    for language, text in (("fr", "Évaluer cette session"), ("en", "Evaluate this session")):
        with django_assert_max_num_queries(8):
            body = client.get(url("accounts:dashboard", language=language)).content.decode()
        assert text in body
