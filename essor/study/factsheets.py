"""Fact sheets: one per authority of an edition, regenerated from the frozen inputs at each edition.

An authority's sheet shows its own closed survey answers (choices, yes/no, numbers) about its public policy — what
the study is for — but never free text nor files, which can name people and stay in the programme team's analysis.
"""

from django.db.models import Count

from essor.observatory.scope import Scope
from essor.sirene.models import Release
from essor.study import inputs
from essor.study.figures import FigureInputs
from essor.territories.models import Qpv

PUBLISHABLE_TYPES = {"select_one", "select_multiple", "integer", "decimal", "range"}
ZONE_KEYS = ("active", "ess", "ess_share", "employer", "ess_employer")


def _zone(figures: dict) -> dict:
    establishments = figures["establishments"]
    return {
        **{key: establishments[key] for key in ZONE_KEYS},
        "employees": figures["employees_estimate"]["ess"],
    }


def qpv_counts(scopes: list[Scope]) -> dict[str, int]:
    codes = [scope.code for scope in scopes if scope.kind == "epci"]
    return dict(
        Qpv.objects.filter(generation=2024, communes__epci__in=codes)
        .values_list("communes__epci")
        .annotate(n=Count("code", distinct=True))
        .order_by()
    )


def _answer_text(question, value, lang: str) -> str:
    if isinstance(value, list):
        return ", ".join(_answer_text(question, item, lang) for item in value)
    for choice in question.choices:
        if choice.value == str(value):
            return choice.text(lang)
    return str(value)


def published_answers(campaigns: dict, identifier: str) -> list[dict]:
    answers = []
    for slug, campaign in campaigns.items():
        invitation = campaign.invitations.submitted().filter(territory=identifier).first()
        if invitation is None:
            continue
        values = invitation.response.values()
        for question in campaign.version.parsed.questions():
            value = values.get(question.code)
            if question.type not in PUBLISHABLE_TYPES or value in (None, "", []):
                continue
            answers.append(
                {
                    "campaign": slug,
                    "code": question.code,
                    "question": {lang: question.text(lang) for lang in ("fr", "en")},
                    "answer": {lang: _answer_text(question, value, lang) for lang in ("fr", "en")},
                }
            )
    return answers


def build(release: Release, data: FigureInputs) -> list[dict]:
    counts = qpv_counts(data.scopes)
    sheets = []
    for scope in data.scopes:
        zones = data.zones[scope.identifier]
        sheets.append(
            {
                "identifier": scope.identifier,
                "name": scope.name,
                "population": scope.population,
                "qpv_count": counts.get(scope.code, 0),
                "zones": {zone: _zone(zones[zone]) for zone in inputs.ZONES},
                "families": zones["all"]["establishments"]["ess_by_family"],
                "sections": inputs.top_sections(release, scope),
                "answers": published_answers(data.campaigns, scope.identifier),
            }
        )
    return sheets
