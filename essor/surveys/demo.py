"""Demonstration surveys (labelled as demonstration wherever shown), idempotent.

- the programme's two questionnaires, from the XLSForm files shipped in data/;
- a closed campaign of the engineering-needs survey, answered by 40 authorities (the métropoles, the communautés
  urbaines and the largest agglomerations), whose student projects feed the needs board;
- a closed 2025 wave of the ESS-policies survey of the métropoles, and an open 2026 wave whose questions are
  prefilled from the observatory and from the 2025 answers. Its invitation link for Toulouse Métropole is printed.

Answers are invented by a seeded generator walking the questionnaire through the real answering code (conditions,
prefill, submission, needs), so the demo exercises what respondents do.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from essor.surveys import answering
from essor.surveys.definition import OTHER_VALUE, Question
from essor.surveys.models import Campaign, Invitation, Need, NeedStatus
from essor.surveys.needs import review
from essor.surveys.questionnaires import load_programme_questionnaires

SEED = 20260
DEMO_TERRITORY = "epci:243100518"  # Toulouse Métropole: the synthetic SIRENE demo release covers it
TEXTS = [
    "Exemple de démonstration : appui à la structuration d'un pôle territorial de coopération économique.",
    "Exemple de démonstration : mieux articuler la politique de la ville et le développement économique.",
    "Exemple de démonstration : un tiers-lieu porté par une SCIC dans un quartier prioritaire.",
    "Exemple de démonstration : former les acheteurs publics aux clauses sociales.",
]
PROJECTS = [
    (
        "Diagnostic de l'ESS dans les quartiers prioritaires (démonstration)",
        "quartiers",
        "Diagnostic territorial et cartographie",
    ),
    (
        "Étude d'opportunité d'une SCIC pour un tiers-lieu (démonstration)",
        "scic",
        "Note d'opportunité et montage juridique",
    ),
    (
        "Décliner le kit MunicipalESS sur les achats (démonstration)",
        "municipaless",
        "Plan d'action achats responsables",
    ),
    ("Évaluer la politique ESS du mandat (démonstration)", "observation", "Rapport d'évaluation"),
    (
        "Clauses sociales : bilan et pistes de progrès (démonstration)",
        "commande_publique",
        "Bilan chiffré et recommandations",
    ),
]


def _authorities(limit: int, natures=None):
    from essor.territories.models import Epci

    order = {"METRO": 0, "MET69": 0, "CU": 1, "CA": 2, "CC": 3, "EPT": 4}
    epcis = Epci.objects.exclude(nature="EPT")
    if natures:
        epcis = epcis.filter(nature__in=natures)
    epcis = sorted(epcis, key=lambda e: (order.get(e.nature, 9), -(e.population or 0), e.code))
    return [e.code for e in epcis[:limit]]


def _value(question: Question, rng: random.Random, shown: dict, project: tuple | None):
    """An invented answer for a question, or None to leave it unanswered."""
    prefilled = shown.get(question.code)
    if prefilled is not None and question.type in ("integer", "decimal"):
        # Respondents mostly confirm what essor prefilled, sometimes correct it.
        if rng.random() < 0.8:
            return prefilled
        return (
            type(prefilled)(round(prefilled * rng.uniform(0.8, 1.2), 1))
            if isinstance(prefilled, float)
            else int(prefilled * rng.uniform(0.8, 1.2))
        )
    if question.need and project is not None:
        title, theme, deliverable = project
        return {
            "title": title,
            "theme": theme,
            "deliverable": deliverable,
            "period": "janvier à juin 2027",
            "description": TEXTS[rng.randrange(len(TEXTS))],
            "schools": rng.sample(["inet", "ira", "master", "sciences_po"], 2),
            "wanted": "oui",
        }.get(question.need)
    if question.need == "wanted":
        return "non"
    if not question.required and rng.random() < 0.15:
        return None
    values = [c.value for c in question.choices]
    if question.type == "select_one":
        if question.list_name == "yes_no":
            return "oui" if rng.random() < 0.65 else "non"
        return rng.choice(values)
    if question.type == "select_multiple":
        return rng.sample(values, rng.randint(1, min(3, len(values))))
    if question.type == "range":
        start, end, _step = question.range_bounds()
        return str(rng.randint(start, end))
    if question.type == "integer":
        low, high = (
            (1990, 2025) if "year" in question.code else (1, 40) if "count" in question.code else (0, 20000)
        )
        return rng.randint(low, high)
    if question.type == "decimal":
        if question.unit.get("fr") == "%":
            return round(rng.uniform(2, 35), 1)
        if question.unit.get("fr") == "ETP":
            return round(rng.uniform(0.5, 12), 1)
        return round(rng.uniform(50, 5000), 0)
    if question.type == "grid":
        return {row.value: rng.choice(values) for row in question.rows}
    if question.type == "rank":
        return rng.sample(values, len(values))
    if question.kind == "territory":
        return None
    if question.type == "date":
        return (timezone.now().date() + timedelta(days=rng.randint(60, 300))).isoformat()
    if question.kind == "long_text":
        return TEXTS[rng.randrange(len(TEXTS))] if rng.random() < 0.5 else None
    if question.type == "text":
        return (
            "Direction du développement économique (démonstration)"
            if "service" in question.code
            else "Vice-présidence ESS (démonstration)"
        )
    return None


def _answer(invitation: Invitation, rng: random.Random, *, submit: bool, project: tuple | None, when) -> None:
    definition = invitation.campaign.version.parsed
    response = answering.open_response(invitation, "fr")
    shown = answering.shown_values(answering.answers_of(response))
    section = answering.next_section(definition, shown, None)
    while section is not None:
        page = {}
        for question in answering.visible_questions(section, shown):
            page[question.code] = _value(question, rng, shown, project)
        # Conditions may reveal questions of the same page: a respondent sees them after saving, as here.
        revealed = {**shown, **{k: v for k, v in page.items() if v is not None}}
        for question in answering.visible_questions(section, revealed):
            if question.code not in page:
                page[question.code] = _value(question, rng, shown, project)
        for question in section.questions:
            if question.or_other and question.code in page:
                chosen = (
                    page[question.code] if isinstance(page[question.code], list) else [page[question.code]]
                )
                page[f"{question.code}_other"] = (
                    "Autre réponse (démonstration)" if OTHER_VALUE in chosen else None
                )
        answering.save_page(response, section, page, contributor="Service ESS (démonstration)")
        shown = answering.shown_values(answering.answers_of(response))
        section = answering.next_section(
            definition, answering.answered_values(answering.answers_of(response)), section.code
        )
    if submit:
        try:
            answering.submit(response)
        except answering.Incomplete:
            return
        type(response).objects.filter(pk=response.pk).update(submitted_at=when)


def _campaign(slug, version, title_fr, title_en, opens, closes, **extra) -> tuple[Campaign, bool]:
    campaign, created = Campaign.objects.get_or_create(
        slug=slug,
        defaults={
            "version": version,
            "title_fr": title_fr,
            "title_en": title_en,
            "opens_at": opens,
            "closes_at": closes,
            "is_demo": True,
            **extra,
        },
    )
    return campaign, created


def _invite(campaign: Campaign, codes: list[str]) -> list[Invitation]:
    from essor.surveys.invitations import Target, invite

    invite(campaign, Target(sirens=codes), send=False, is_demo=True)
    return list(campaign.invitations.order_by("authority_name"))


def _fill(campaign: Campaign, rng: random.Random, *, share_submitted: float, needs: bool = False) -> int:
    submitted = 0
    window = (campaign.closes_at - campaign.opens_at).total_seconds()
    for invitation in campaign.invitations.order_by("authority_name"):
        roll = rng.random()
        if roll > share_submitted + 0.08:
            continue  # invited, never opened
        project = PROJECTS[rng.randrange(len(PROJECTS))] if needs and rng.random() < 0.35 else None
        when = campaign.opens_at + timedelta(seconds=rng.uniform(0.1, 0.95) * window)
        _answer(invitation, rng, submit=roll <= share_submitted, project=project, when=when)
        submitted += roll <= share_submitted
    return submitted


def load_demo() -> list[str]:
    lines = [outcome.line() for outcome in load_programme_questionnaires()]
    from essor.territories.models import Epci

    if not Epci.objects.exists():
        return lines + [
            "surveys demo: no territorial reference loaded (run `essor territories load`): campaigns skipped."
        ]
    needs_version, policies_version = (outcome.version for outcome in load_programme_questionnaires())
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        needs_campaign, created = _campaign(
            "besoins-ingenierie-demo",
            needs_version,
            "Besoins d'ingénierie des collectivités (démonstration)",
            "Engineering needs of local authorities (demonstration)",
            now - timedelta(days=120),
            now - timedelta(days=30),
            open_data=True,
        )
        if created:
            _invite(needs_campaign, _authorities(40))
            count = _fill(needs_campaign, rng, share_submitted=0.8, needs=True)
            for index, need in enumerate(
                Need.objects.filter(invitation__campaign=needs_campaign).order_by("pk")
            ):
                if index % 3 != 2:
                    review(need, None, publish=True)
            lines.append(
                f"surveys demo: closed campaign {needs_campaign.slug}: {count} of 40 authorities submitted"
            )
        wave_2025, created = _campaign(
            "politiques-ess-2025-demo",
            policies_version,
            "Politiques ESS des métropoles, vague 2025 (démonstration)",
            "ESS policies of metropolises, 2025 wave (demonstration)",
            now - timedelta(days=400),
            now - timedelta(days=300),
        )
        metropoles = _authorities(22, natures=["METRO", "MET69"])
        if created:
            _invite(wave_2025, metropoles)
            count = _fill(wave_2025, rng, share_submitted=0.85)
            lines.append(
                f"surveys demo: closed campaign {wave_2025.slug}: {count} of {len(metropoles)} métropoles submitted"
            )
        wave_2026, created = _campaign(
            "politiques-ess-2026-demo",
            policies_version,
            "Politiques ESS des métropoles, vague 2026 (démonstration)",
            "ESS policies of metropolises, 2026 wave (demonstration)",
            now - timedelta(days=7),
            now + timedelta(days=60),
            previous=wave_2025,
            introduction_fr="Enquête de démonstration : les réponses ne sont pas publiées.",
            introduction_en="Demonstration survey: answers are not published.",
        )
        if created:
            _invite(wave_2026, metropoles)
    lines.append(
        f"surveys demo: {Need.objects.filter(status=NeedStatus.VALIDATED, is_demo=True).count()} needs on the needs board"
    )
    demo = wave_2026.invitations.filter(territory=DEMO_TERRITORY).first() or wave_2026.invitations.first()
    if demo is not None:
        from essor.core.urls_absolute import absolute_url

        path = answering.invitation_path(demo)
        lines.append(f"Demo survey invitation ({demo.authority_name}, prefilled), no account needed:")
        lines.append(f"  {absolute_url(path)}")
        lines.append(f"  {absolute_url('/en/' + path[4:])}")
    return lines
