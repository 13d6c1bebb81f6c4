"""The needs board: engineering needs declared in a survey become public student-project proposals once the
programme team validates them. Nothing personal is published: the authority, its territory's figures, the need."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from essor.surveys.definition import Definition
from essor.surveys.models import Need, NeedStatus

YES = {"oui", "yes", "true", "1"}
SCHOOLS = ("inet", "ira", "master", "sciences_po")
# Needs-board themes -> the resource themes (essor.resources vocabulary) whose resources answer them.
RESOURCE_THEMES = {
    "scic": ["scic-cooperatives"],
    "municipaless": ["municipaless"],
    "commande_publique": ["commande-publique"],
    "observation": ["observation-donnees"],
    "quartiers": ["quartiers-politique-ville"],
}


def needs_from_response(response, definition: Definition, values: dict) -> Need | None:
    """Create the proposed need of a submitted response (questions bound to need fields); None if none declared."""
    fields = {q.need: q for q in definition.questions() if q.need}
    if not fields or "title" not in fields:
        return None
    wanted = fields.get("wanted")
    if wanted is not None and str(values.get(wanted.code, "")).lower() not in YES:
        return None
    title = (values.get(fields["title"].code) or "").strip()
    if not title:
        return None

    def text(name):
        question = fields.get(name)
        value = values.get(question.code) if question else None
        return value if isinstance(value, (str, list)) else ""

    schools = text("schools")
    return Need.objects.create(
        invitation=response.invitation,
        title=title[:200],
        description=text("description"),
        deliverable=(text("deliverable") or "")[:300],
        period=(text("period") or "")[:120],
        schools=schools if isinstance(schools, list) else [schools] if schools else [],
        theme=text("theme") if isinstance(text("theme"), str) else "",
        language=response.language,
        is_demo=response.invitation.is_demo,
    )


def review(need: Need, user, *, publish: bool) -> Need:
    with transaction.atomic():
        need.status = NeedStatus.VALIDATED if publish else NeedStatus.DECLINED
        need.reviewed_by = user
        need.reviewed_at = timezone.now()
        need.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return need


def resources_for(need: Need, limit: int = 4):
    """The bundle's resources that answer the need (by theme), best-known first."""
    from essor.resources.models import Resource

    themes = RESOURCE_THEMES.get(need.theme, [])
    if not themes:
        return Resource.objects.none()
    return (
        Resource.objects.filter(published=True, themes__slug__in=themes)
        .distinct()
        .order_by("title_fr")[:limit]
    )


def territory_figures(need: Need) -> dict | None:
    """The authority's own figures shown with its need: ESS establishments, and their share in and out of QPVs."""
    from essor.surveys.prefill import indicator_document

    whole = indicator_document(need.invitation.territory, "all")
    if whole is None:
        return None
    inside = indicator_document(need.invitation.territory, "qpv") or {}
    return {
        "release": whole["release"],
        "ess": whole["establishments"]["ess"],
        "ess_share": whole["establishments"]["ess_share"],
        "ess_qpv": (inside.get("establishments") or {}).get("ess"),
        "ess_share_qpv": (inside.get("establishments") or {}).get("ess_share"),
        "territory": whole["territory"],
    }


def board(*, theme: str = "", school: str = "", region: str = ""):
    needs = Need.objects.public().select_related("invitation")
    if theme:
        needs = needs.filter(theme=theme)
    if region:
        needs = needs.filter(invitation__region_code=region)
    needs = list(needs.order_by("-reviewed_at", "-created_at"))
    if school:  # a JSON list: filtered here so the query stays portable between SQLite and PostgreSQL
        needs = [n for n in needs if school in n.schools]
    return needs
