"""Steering demonstration: the real action sheet imported, the ANCT 2020–2022 convention with the committees its
means announce (a first steering committee in February, a second to be planned, an intermediate review with the
ANCT in June), and a France urbaine – RTES convention over the current years whose indicators come live from the
demo's trainings. Amounts, days of meetings, decisions, people and statuses are invented and labelled as such.

Idempotent: rows are found by their natural keys and left as they are on re-runs; snapshots are taken once.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from essor.accounts.models import Organisation, OrganisationKind, Profile, Role
from essor.steering import dates
from essor.steering.audit import acting_as
from essor.steering.importer import import_file
from essor.steering.models import (
    Attendance,
    Committee,
    CommitteeKind,
    Convention,
    ConventionAmount,
    ConventionIndicator,
    Decision,
    Deliverable,
    FollowUp,
    FollowUpStatus,
    IndicatorSnapshot,
    ReaderRole,
    Status,
    SteeringReader,
    Step,
)
from essor.steering.snapshots import freeze

REAL_SHEET = Path(__file__).resolve().parent / "data" / "fiche-action-3-qpv.txt"
ORGANISATIONS = [
    ("ANCT", OrganisationKind.STATE_AGENCY),
    ("RTES", OrganisationKind.NETWORK),
    ("France urbaine", OrganisationKind.NETWORK),
    ("ESS France", OrganisationKind.NETWORK),
    ("Avisa", OrganisationKind.OTHER),
]
# email, password, role, organisation — printed by `essor steering demo` (demo only!).
READERS = [
    (
        "ca@example.org",
        "demo-board-essor",
        ReaderRole.BOARD_MEMBER,
        "RTES",
        "Bérénice",
        "Administratrice (démo)",
    ),
    ("financeur@example.org", "demo-funder-essor", ReaderRole.FUNDER, "ANCT", "Fabien", "Financeur (démo)"),
]
INDICATORS = [
    # metric, baseline, target
    ("sessions_held", 0, 12),
    ("people_trained", 0, 150),
    ("evaluations", 0, 60),
    ("satisfaction", None, 4),
    ("knowledge_gain", None, 1),
    ("resources_published", 0, 80),
    ("observatory_releases", 0, 12),
    ("survey_response_rate", None, Decimal("0.6")),
]


def load_demo() -> list[str]:
    with acting_as(None, "demo"), transaction.atomic():
        organisations = {
            name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "is_demo": True})[0]
            for name, kind in ORGANISATIONS
        }
        anct = _anct_convention(organisations)
        _parsed, report = import_file(REAL_SHEET, source="demo")
        sheet = report.sheet
        france_urbaine = _france_urbaine_convention(organisations)
        france_urbaine.action_sheets.add(sheet)
        if not sheet.demo_progress:
            _demo_progress(sheet)
        for convention in (anct, france_urbaine):
            for committee in convention.committees.exclude(date=None).filter(date__lte=timezone.localdate()):
                if not IndicatorSnapshot.objects.filter(committee=committee).exists():
                    freeze(committee, source="demo")
        readers = [_reader(organisations, *row) for row in READERS]
    lines = [f"action sheet {sheet.number}: {'; '.join(report.lines())}"]
    lines += [f"convention: {c.title_fr} ({c.committees.count()} committees)" for c in (anct, france_urbaine)]
    lines += [f"{role:<14} {email:<24} {password}" for email, password, role in readers]
    return lines


def _anct_convention(organisations) -> Convention:
    convention, created = Convention.objects.get_or_create(
        reference="ANCT 2020/2022",
        defaults={
            "title_fr": "Convention pluriannuelle ANCT 2020–2022",
            "title_en": "ANCT multi-year convention 2020–2022",
            "funder": organisations["ANCT"],
            "starts_on": datetime.date(2020, 1, 1),
            "ends_on": datetime.date(2022, 12, 31),
            "final_report_due_on": datetime.date(2022, 9, 30),
            "is_demo": True,
            "notes": "Démonstration : montants, dates exactes des réunions et décisions inventés.",
        },
    )
    if not created:
        return convention
    convention.parties.set([organisations["ANCT"], organisations["RTES"]])
    for year in (2020, 2021, 2022):
        ConventionAmount.objects.create(convention=convention, year=year, amount=Decimal("45000"))
    for title_fr, title_en, due in [
        ("Compte rendu financier 2020 (Cerfa 15059)", "2020 financial report (Cerfa 15059)", (2021, 6, 30)),
        (
            "Version intermédiaire de l'étude métropoles (FR/EN)",
            "Interim edition of the metropolis study (FR/EN)",
            (2021, 6, 30),
        ),
        (
            "Bouquet de ressources et parcours de formation",
            "Resource bundle and training path",
            (2021, 12, 31),
        ),
        ("Compte rendu financier 2021 (Cerfa 15059)", "2021 financial report (Cerfa 15059)", (2022, 6, 30)),
        ("Bilan final de la convention", "Final report of the convention", (2022, 9, 30)),
    ]:
        Deliverable.objects.create(
            convention=convention, title_fr=title_fr, title_en=title_en, due_on=datetime.date(*due),
            delivered_on=datetime.date(*due) if due[0] == 2021 and due[1] == 6 else None,
        )  # fmt: skip
    _indicators(convention)
    # The sheet's means: "1er copil en février; 2ème copil à prévoir; point intermédiaire avec ANCT en juin".
    february = dates.resolve("février", 2021)
    june = dates.resolve("juin", 2021)
    first = Committee.objects.create(
        convention=convention,
        kind=CommitteeKind.STEERING_COMMITTEE,
        title_fr="1er comité de pilotage",
        title_en="First steering committee",
        when="en février",
        date=february.start + datetime.timedelta(days=15),
        agenda="Bilan 2020 de la convention\nFeuille de route 2021 de la fiche-action n°3\nCalendrier de l'étude métropoles",
        minutes="Démonstration — le comité valide la feuille de route 2021 et demande un premier point en juin.",
        is_demo=True,
    )
    _meeting(
        first,
        organisations,
        attendees={
            "ANCT": "Chargé de mission ESS (démo)",
            "RTES": "Déléguée générale (démo)\nChargée de mission (démo)",
            "France urbaine": "Conseiller ESS (démo)",
        },  # fmt: skip
        decisions=[
            (
                "La feuille de route 2021 de la fiche-action n°3 est validée.",
                "The 2021 roadmap of action sheet 3 is approved.",
            ),
            (
                "Les premiers webinaires sont programmés pour la fin 2021.",
                "The first webinars are scheduled for late 2021.",
            ),
        ],
        follow_ups=[
            (
                "Partager le repérage des formations croisées",
                "Share the survey of cross-trainings",
                "RTES",
                (2021, 4, 30),
                True,
            ),
            (
                "Proposer une date pour le 2e comité",
                "Propose a date for the second committee",
                "ANCT",
                (2021, 9, 30),
                False,
            ),
        ],
    )
    Committee.objects.create(
        convention=convention,
        kind=CommitteeKind.STEERING_COMMITTEE,
        title_fr="2e comité de pilotage",
        title_en="Second steering committee",
        when="à prévoir",
        date=None,
        is_demo=True,
    )
    review = Committee.objects.create(
        convention=convention,
        kind=CommitteeKind.INTERMEDIATE_REVIEW,
        title_fr="Point intermédiaire avec l'ANCT",
        title_en="Intermediate review with the ANCT",
        when="en juin",
        date=june.start + datetime.timedelta(days=14),
        agenda="Avancement des actions\nIndicateurs à mi-parcours\nVersion intermédiaire de l'étude",
        minutes="Démonstration — point d'étape sur les actions et les indicateurs.",
        is_demo=True,
    )
    _meeting(
        review,
        organisations,
        attendees={"ANCT": "Chargé de mission ESS (démo)", "RTES": "Déléguée générale (démo)"},
        decisions=[
            (
                "L'expérimentation avec les CRESS volontaires est lancée.",
                "The experimentation with volunteer CRESS starts.",
            )
        ],
        follow_ups=[
            (
                "Transmettre la version intermédiaire de l'étude",
                "Send the interim edition of the study",
                "RTES",
                (2021, 7, 15),
                True,
            )
        ],
    )
    return convention


def _france_urbaine_convention(organisations) -> Convention:
    """Over the current years, so that its indicators show the demo's trainings live."""
    this_year = timezone.localdate().year
    convention, created = Convention.objects.get_or_create(
        reference="France urbaine/RTES",
        defaults={
            "title_fr": "Convention France urbaine – RTES (démonstration)",
            "title_en": "France urbaine – RTES convention (demonstration)",
            "funder": organisations["France urbaine"],
            "starts_on": datetime.date(this_year - 1, 1, 1),
            "ends_on": datetime.date(this_year + 1, 12, 31),
            "final_report_due_on": datetime.date(this_year + 1, 9, 30),
            "is_demo": True,
        },
    )
    if not created:
        return convention
    convention.parties.set([organisations["France urbaine"], organisations["RTES"]])
    for year in range(this_year - 1, this_year + 2):
        ConventionAmount.objects.create(convention=convention, year=year, amount=Decimal("20000"))
    today = timezone.localdate()
    Deliverable.objects.create(
        convention=convention, title_fr="Rapport d'activité annuel", title_en="Yearly activity report",
        due_on=datetime.date(this_year, 12, 31),
    )  # fmt: skip
    _indicators(convention)
    held = Committee.objects.create(
        convention=convention,
        kind=CommitteeKind.STEERING_COMMITTEE,
        title_fr="Comité de pilotage de la convention France urbaine",
        title_en="France urbaine convention steering committee",
        date=today - datetime.timedelta(days=20),
        agenda="Premières sessions de formation\nCommission ESS et économie circulaire",
        minutes="Démonstration — le comité prend acte des premières sessions.",
        is_demo=True,
    )
    _meeting(
        held,
        organisations,
        attendees={"France urbaine": "Conseiller ESS (démo)", "RTES": "Chargée de mission (démo)"},
        decisions=[
            (
                "Étendre les sessions aux services des métropoles.",
                "Extend the sessions to the metropolises' services.",
            )
        ],
        follow_ups=[
            (
                "Programmer deux webinaires supplémentaires",
                "Schedule two more webinars",
                "RTES",
                (today + datetime.timedelta(days=40)).timetuple()[:3],
                False,
            )
        ],  # fmt: skip
    )
    Committee.objects.create(
        convention=convention,
        kind=CommitteeKind.INTERMEDIATE_REVIEW,
        title_fr="Point intermédiaire France urbaine",
        title_en="France urbaine intermediate review",
        date=today + datetime.timedelta(days=60),
        agenda="Indicateurs à mi-parcours",
        is_demo=True,
    )
    return convention


def _indicators(convention) -> None:
    for position, (metric, baseline, target) in enumerate(INDICATORS, start=1):
        ConventionIndicator.objects.create(
            convention=convention,
            metric=metric,
            baseline=None if baseline is None else Decimal(baseline),
            target=Decimal(target),
            position=position,
        )


def _meeting(committee, organisations, *, attendees, decisions, follow_ups) -> None:
    for name, people in attendees.items():
        Attendance.objects.create(committee=committee, organisation=organisations[name], people=people)
    created = [
        Decision.objects.create(committee=committee, position=position, text_fr=fr, text_en=en)
        for position, (fr, en) in enumerate(decisions, start=1)
    ]
    for fr, en, owner, due, done in follow_ups:
        due_on = datetime.date(*due)
        FollowUp.objects.create(
            committee=committee, decision=created[0], text_fr=fr, text_en=en, owner=owner, due_on=due_on,
            status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN, done_on=due_on if done else None,
        )  # fmt: skip


def _demo_progress(sheet) -> None:
    """Invented statuses (labelled on the sheet's page): the roadmap as it could stand today."""
    first, second, third = sheet.actions.order_by("position")
    steps = list(first.steps.order_by("position"))
    for step, (status, progress) in zip(
        steps, [(Status.DONE, 100), (Status.IN_PROGRESS, 60), (Status.PLANNED, 0)], strict=False
    ):
        step.status, step.progress = status, progress
        step.save()
    first.status = Status.IN_PROGRESS
    first.save()
    second.status, second.progress = Status.IN_PROGRESS, 40
    second.save()
    third.status = Status.IN_PROGRESS
    third.save()
    Step.objects.filter(action=third).update(status=Status.DONE, progress=100)
    sheet.demo_progress = True
    sheet.is_published = True
    sheet.title_en = "Priority neighbourhoods of city policy and urban territories"
    sheet.save()
    sheet.axis.title_en = sheet.axis.title_en or "Place of the ESS in fragile territories"
    sheet.axis.save()
    titles_en = [
        "Trainings and awareness-raising on the ESS",
        "Survey of the local authorities' needs and expectations",
        "Update of the Avisa/France urbaine study of metropolises and large urban areas",
    ]
    for action, title in zip((first, second, third), titles_en, strict=True):
        action.refresh_from_db()
        action.title_en = title
        action.save()


def _reader(organisations, email, password, role, organisation, first_name, last_name):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(password)
        user.save()
        Profile.objects.create(
            user=user, organisation=organisations[organisation], role=Role.MEMBER, language="fr",
            email_confirmed_at=timezone.now(), is_demo=True,
        )  # fmt: skip
    SteeringReader.objects.get_or_create(
        user=user, defaults={"role": role, "organisation": organisations[organisation]}
    )
    return email, password, role
