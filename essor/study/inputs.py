"""What an edition reads from the layers below: the SIRENE release's figures (through the observatory) and the
survey campaigns' submitted answers (through the surveys' analysis). Kept in one module so the study depends on a
handful of functions of those apps, not on their internals."""

from django.utils import translation

from essor.observatory.benchmark import METROPOLE_NATURES
from essor.observatory.indicators import indicators_document, load_figures
from essor.observatory.scope import Scope, get_scope
from essor.sirene.models import Release
from essor.surveys import analysis
from essor.territories.identifiers import UnknownTerritory, parse_identifier
from essor.territories.models import Epci

ZONES = ("all", "qpv", "proximite", "hors_qpv")


class MissingInput(LookupError):
    """An edition cannot be frozen: its release or one of its authorities does not exist (the message says which)."""


def serving_release() -> Release | None:
    return Release.objects.active()


def authority_scopes(identifiers: list[str]) -> list[Scope]:
    """The authorities with a fact sheet: the given identifiers, or the 22 métropoles (by name)."""
    if not identifiers:
        epcis = Epci.objects.filter(nature__in=METROPOLE_NATURES).order_by("name")
        return [Scope("epci", epci.code, epci.name, epci.population, epci) for epci in epcis]
    scopes = []
    for identifier in identifiers:
        try:
            scopes.append(get_scope(*parse_identifier(identifier)))
        except (UnknownTerritory, ValueError):
            raise MissingInput(f"unknown territory {identifier!r} in the edition's authorities") from None
    return scopes


def zone_figures(release: Release, scopes: list[Scope]) -> dict[str, dict[str, dict]]:
    """{identifier: {zone: figures}} for every scope and zone, in one read of the precomputed snapshots."""
    wanted = [(scope, zone) for scope in scopes for zone in ZONES]
    loaded = load_figures(release, wanted)
    result: dict[str, dict[str, dict]] = {}
    for (scope, zone), figures in zip(wanted, loaded, strict=True):
        result.setdefault(scope.identifier, {})[zone] = figures
    return result


def top_sections(release: Release, scope: Scope, count: int = 5) -> list[dict]:
    """The scope's largest ESS activity sections, labelled in both languages."""
    labelled = {}
    for lang in ("fr", "en"):
        with translation.override(lang):
            labelled[lang] = indicators_document(release, scope)["sectors"]["sections"][:count]
    return [
        {"code": row["code"], "label": {"fr": row["label"], "en": en["label"]}, "ess": row["ess"]}
        for row, en in zip(labelled["fr"], labelled["en"], strict=True)
    ]


def submitted_records(campaign) -> list[analysis.Record]:
    return analysis.submitted_records(campaign)


def distribution(question, records, lang: str) -> analysis.Distribution:
    return analysis.distribution(question, records, lang, with_text=False)
