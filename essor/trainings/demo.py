"""Demonstration content of the training hub (labelled `is_demo` and shown as such).

Organisations bear real public names (CRESS, métropoles, RTES); every person, registration and evaluation is
invented (emails @example.org). Idempotent: existing rows are left as they are, so dates stay put on re-runs.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from essor.accounts.models import Organisation, Profile, Role
from essor.resources.models import Resource
from essor.trainings.demo_content import (
    ACCOUNT_DETAILS,
    COMMENTS,
    DEMO_ACCOUNTS,
    DEMO_NAMESPACE,
    FIRST_NAMES,
    MODULES,
    ORGANISATIONS,
    PATH,
    PEOPLE_ORGS,
    PLACES,
    SESSIONS,
    THREE_AUDIENCES,
)
from essor.trainings.models import (
    Evaluation,
    Module,
    Registration,
    RegistrationStatus,
    Session,
    SessionFormat,
    TrainingPath,
)


@dataclass
class DemoReport:
    counts: dict = field(default_factory=dict)


def ensure_organisations() -> dict:
    organisations = {}
    for name, kind, territory, region in ORGANISATIONS:
        organisations[name], _created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "territory": territory, "region_code": region, "is_demo": True}
        )
    return organisations


def _person(
    email, *, organisation, audience, language, first_name, last_name, role=Role.MEMBER, password=None
):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.is_staff = role in (Role.PROGRAMME_ADMIN, Role.EDITOR)
        user.is_superuser = role == Role.PROGRAMME_ADMIN
        user.save()
        Profile.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            audience=audience,
            language=language,
            email_confirmed_at=timezone.now(),
            is_demo=True,
        )
    return user, created


def _accounts(organisations) -> list:
    people = []
    for email, password, role in DEMO_ACCOUNTS:
        org, audience, language, first, last = ACCOUNT_DETAILS[email]
        user, _created = _person(
            email,
            organisation=organisations[org],
            audience=audience,
            language=language,
            first_name=first,
            last_name=last,
            role=role,
            password=password,
        )
        people.append(user)
    for index, first in enumerate(FIRST_NAMES):
        org, audience = PEOPLE_ORGS[index % len(PEOPLE_ORGS)]
        user, _created = _person(
            f"demo.{first.lower().replace('é', 'e').replace('è', 'e').replace('ï', 'i')}@example.org",
            organisation=organisations[org],
            audience=audience,
            language="en" if index % 5 == 4 else "fr",
            first_name=first,
            last_name="Démo",
        )
        people.append(user)
    return people


def _path_and_modules():
    path, _created = TrainingPath.objects.get_or_create(
        slug=PATH["slug"], defaults={**PATH, "audiences": [str(a) for a in THREE_AUDIENCES], "is_demo": True}
    )
    modules = []
    for position, (slug, title_fr, title_en, minutes, obj_fr, obj_en, theme) in enumerate(MODULES, start=1):
        module, created = Module.objects.get_or_create(
            slug=slug,
            defaults={
                "path": path,
                "position": position,
                "title_fr": title_fr,
                "title_en": title_en,
                "summary_fr": f"Module {position} du parcours « {PATH['title_fr']} ».",
                "summary_en": f"Module {position} of the path “{PATH['title_en']}”.",
                "objectives_fr": obj_fr,
                "objectives_en": obj_en,
                "duration_minutes": minutes,
                "prerequisites_fr": ""
                if position == 1
                else "Avoir suivi le module 1 ou connaître les bases de l'ESS.",
                "prerequisites_en": "" if position == 1 else "Module 1, or knowing the basics of the ESS.",
                "evaluation_questions_fr": "Qu'allez-vous mettre en pratique ?",
                "evaluation_questions_en": "What will you put into practice?",
                "is_demo": True,
            },
        )
        if created:
            _link_resources(module, theme)
        modules.append(module)
    return path, modules


def _link_resources(module, theme_slug: str) -> None:
    resources = Resource.objects.filter(published=True, themes__slug=theme_slug).order_by("-year", "pk")[:4]
    module.resources.add(*resources)


def _sessions(modules, organisations) -> list[tuple[Session, bool]]:
    today = timezone.localdate()
    result = []
    for index, (module_index, days, hour, session_format, operator, experimentation, capacity) in enumerate(
        SESSIONS
    ):
        uid = uuid.uuid5(DEMO_NAMESPACE, f"session-{index}")
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))
        org = organisations[operator]
        session, created = Session.objects.get_or_create(
            uid=uid,
            defaults={
                "module": modules[module_index],
                "format": session_format,
                "starts_at": start,
                "ends_at": start + timedelta(minutes=modules[module_index].duration_minutes),
                "place": PLACES[operator] if session_format == SessionFormat.IN_PERSON else "",
                "link": f"https://visio.example.org/essor-demo-{index}"
                if session_format == SessionFormat.WEBINAR
                else "",
                "operator": org,
                "capacity": capacity,
                "audiences": [str(a) for a in THREE_AUDIENCES],
                "cress_region": org.region_code,
                "experimentation": experimentation,
                "is_demo": True,
            },
        )
        result.append((session, created))
    return result


def _fill(session, people, rng) -> tuple[int, int]:
    """Registrations (and for past sessions, attendance and evaluations) of a newly created demo session."""
    registrations = evaluations = 0
    past = session.ends_at <= timezone.now()
    count = min(len(people), session.capacity + (3 if session.capacity < 10 else 0), rng.randint(8, 18))
    for position, user in enumerate(rng.sample(people, count)):
        status = RegistrationStatus.CONFIRMED if position < session.capacity else RegistrationStatus.WAITING
        profile = user.profile
        attended = (rng.random() < 0.8) if past and status == RegistrationStatus.CONFIRMED else None
        registration = Registration.objects.create(
            session=session,
            user=user,
            status=status,
            audience=profile.audience,
            organisation_kind=profile.organisation.kind if profile.organisation_id else "",
            attended=attended,
            is_demo=True,
            evaluation_invited_at=session.ends_at + timedelta(hours=2) if attended else None,
        )
        registrations += 1
        if attended and rng.random() < 0.75:
            objectives = session.module.objectives_fr.splitlines()
            knowledge = [
                {"objective": o, "before": (b := rng.randint(1, 3)), "after": min(5, b + rng.randint(1, 2))}
                for o in objectives
            ]
            language, comment = rng.choice(COMMENTS)
            Evaluation.objects.create(
                registration=registration,
                session=session,
                satisfaction=rng.choice([3, 4, 4, 5, 5]),
                usefulness=rng.choice([3, 4, 4, 5]),
                knowledge=knowledge,
                knowledge_before=sum(k["before"] for k in knowledge) / len(knowledge),
                knowledge_after=sum(k["after"] for k in knowledge) / len(knowledge),
                comments=comment,
                is_demo=True,
            )
            evaluations += 1
    return registrations, evaluations


# Session index -> what the demo members did there: something to show once signed in with their accounts.
DEMO_MEMBER_JOURNEY = {3: "attended", 5: "registered", 6: "registered"}


def _demo_member_journey(index: int, session, demo_members) -> int:
    """The printed demo members attended a past session (still to evaluate) and hold upcoming places."""
    step = DEMO_MEMBER_JOURNEY.get(index)
    if step is None:
        return 0
    for user in demo_members:
        profile = user.profile
        full = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count() >= session.capacity
        Registration.objects.create(
            session=session,
            user=user,
            status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
            audience=profile.audience,
            organisation_kind=profile.organisation.kind if profile.organisation_id else "",
            attended=True if step == "attended" and not full else None,
            is_demo=True,
        )
    return len(demo_members)


@transaction.atomic
def load_demo() -> DemoReport:
    organisations = ensure_organisations()
    people = _accounts(organisations)
    path, modules = _path_and_modules()
    rng = random.Random(2026)  # demo data, reproducible
    named = {email for email, _password, _role in DEMO_ACCOUNTS}
    members = [p for p in people if p.profile.role == Role.MEMBER and p.email not in named]
    demo_members = [p for p in people if p.profile.role == Role.MEMBER and p.email in named]
    created_sessions = registrations = evaluations = 0
    for index, (session, created) in enumerate(_sessions(modules, organisations)):
        if created:
            created_sessions += 1
            r, e = _fill(session, members, rng)
            registrations += r + _demo_member_journey(index, session, demo_members)
            evaluations += e
    return DemoReport(
        {
            "organisations": len(organisations),
            "demo people": len(people),
            "modules": len(modules),
            "sessions created": created_sessions,
            "sessions unchanged": len(SESSIONS) - created_sessions,
            "registrations created": registrations,
            "evaluations created": evaluations,
        }
    )
