"""Prefilled answers: the authority's own figures from the observatory, or its answer to the last wave.

A question's `prefill` says where its value comes from:

    indicator:establishments.ess            ESS establishments of the respondent's territory (zone "all")
    indicator:establishments.ess_share@qpv*100   share of ESS among active establishments inside QPVs, in %
    indicator:employees_estimate.ess.low    low estimate of ESS employees
    previous                                the same question's answer in the campaign's previous wave

Figures come from the one function that computes the indicators document (the one behind `essor indicators`).
Each prefilled value is stored with its source and vintage; the respondent confirms or corrects it.
"""

from __future__ import annotations

from dataclasses import dataclass

from essor.observatory.indicators import NoRelease, NotCovered, territory_indicators
from essor.surveys.definition import PREFILL, Definition
from essor.territories.identifiers import UnknownTerritory, parse_identifier


@dataclass(frozen=True)
class Prefilled:
    value: object
    source: str
    vintage: str


def indicator_document(territory: str, zone: str) -> dict | None:
    try:
        return territory_indicators(*parse_identifier(territory), zone)
    except (ValueError, UnknownTerritory, NoRelease, NotCovered):
        return None


def _walk(document: dict, path: str):
    value = document
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _previous_answers(invitation) -> tuple[dict, str, str]:
    from essor.surveys.models import Answer

    previous = invitation.campaign.previous
    if previous is None:
        return {}, "", ""
    answers = Answer.objects.filter(
        response__invitation__campaign=previous,
        response__invitation__territory=invitation.territory,
        response__submitted_at__isnull=False,
    ).values_list("code", "value")
    return dict(answers), previous.slug, previous.closes_at.date().isoformat()


def prefill(invitation, definition: Definition) -> dict[str, Prefilled]:
    """{question code: Prefilled} for the questions bound to an indicator or to the previous wave."""
    documents: dict[str, dict | None] = {}
    previous = None
    found: dict[str, Prefilled] = {}
    for question in definition.questions():
        if not question.prefill:
            continue
        match = PREFILL.match(question.prefill)
        if question.prefill == "previous":
            if previous is None:
                previous = _previous_answers(invitation)
            answers, slug, vintage = previous
            if answers.get(question.code) is not None:
                found[question.code] = Prefilled(answers[question.code], f"previous:{slug}", vintage)
            continue
        zone = match.group("zone") or "all"
        if zone not in documents:
            documents[zone] = indicator_document(invitation.territory, zone)
        document = documents[zone]
        if document is None:
            continue
        value = _walk(document, match.group("path"))
        if value is None:
            continue
        if match.group("scale"):
            value = round(value * 100, 1)
        if question.type == "integer":
            value = int(round(value))
        release = document.get("release") or {}
        origin = "sirene-synthetic" if release.get("synthetic") else "sirene"
        found[question.code] = Prefilled(
            value, f"indicator:{match.group('path')}@{zone} ({origin})", release.get("vintage", "")
        )
    return found
