"""Figure kinds of a study: each computes a table (and the chart drawn from it) from an edition's frozen inputs.

A figure is stored language-neutral in the edition's snapshot — numbers, with every label in French and English —
so that the French and the English builds show the same figure, with the same number, from the same data:

    {"kind", "title": {fr, en}, "columns": [{"key", "label": {fr, en}, "type": text|count|percent}],
     "rows": [{key: value}], "chart": {"category", "value", "type"}, "source": {fr, en}}

Kinds: `benchmark_ess_share`, `benchmark_qpv_share`, `families`, `zones` (all from the SIRENE release, over the
edition's authorities), and `survey:CAMPAIGN:QUESTION` (the distribution of one question's submitted answers).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from essor.observatory.scope import Scope
from essor.sirene.models import Family, Release
from essor.study import inputs
from essor.surveys.models import Campaign


class FigureError(ValueError):
    """A figure kind that cannot be computed (unknown kind, campaign or question); the message names it."""


@dataclass
class FigureInputs:
    release: Release
    scopes: list[Scope]
    campaigns: dict[str, Campaign] = field(default_factory=dict)  # slug -> Campaign
    _zones: dict | None = None

    @property
    def zones(self) -> dict[str, dict[str, dict]]:
        if self._zones is None:
            self._zones = inputs.zone_figures(self.release, self.scopes)
        return self._zones


def both(text) -> dict[str, str]:
    """A lazy translated string in French and English."""
    result = {}
    for lang in ("fr", "en"):
        with translation.override(lang):
            result[lang] = str(text)
    return result


def _column(key: str, label, kind: str) -> dict:
    return {"key": key, "label": both(label), "type": kind}


def _release_source() -> dict[str, str]:
    return both(_("INSEE, SIRENE register (release named below); essor's ESS rules, see the methodology."))


def benchmark_ess_share(data: FigureInputs, _arg: str) -> dict:
    rows = []
    for scope in data.scopes:
        establishments = data.zones[scope.identifier]["all"]["establishments"]
        rows.append(
            {
                "name": scope.name,
                "ess": establishments["ess"],
                "active": establishments["active"],
                "ess_share": establishments["ess_share"],
            }
        )
    rows.sort(key=lambda row: (-(row["ess_share"] or 0), row["name"]))
    return {
        "title": both(_("Share of the ESS in active establishments, by authority")),
        "columns": [
            _column("name", _("Authority"), "text"),
            _column("ess", _("ESS establishments"), "count"),
            _column("active", _("Active establishments"), "count"),
            _column("ess_share", _("ESS share"), "percent"),
        ],
        "rows": rows,
        "chart": {"category": "name", "value": "ess_share", "type": "percent"},
        "source": _release_source(),
    }


def benchmark_qpv_share(data: FigureInputs, _arg: str) -> dict:
    rows = []
    for scope in data.scopes:
        zones = data.zones[scope.identifier]
        ess = zones["all"]["establishments"]["ess"]
        in_qpv = zones["qpv"]["establishments"]["ess"]
        rows.append(
            {"name": scope.name, "ess": ess, "ess_in_qpv": in_qpv, "share": in_qpv / ess if ess else None}
        )
    rows.sort(key=lambda row: (-(row["share"] or 0), row["name"]))
    return {
        "title": both(_("Share of ESS establishments located in a QPV, by authority")),
        "columns": [
            _column("name", _("Authority"), "text"),
            _column("ess_in_qpv", _("ESS establishments in a QPV"), "count"),
            _column("ess", _("ESS establishments"), "count"),
            _column("share", _("Share in a QPV"), "percent"),
        ],
        "rows": rows,
        "chart": {"category": "name", "value": "share", "type": "percent"},
        "source": _release_source(),
    }


def families(data: FigureInputs, _arg: str) -> dict:
    totals = dict.fromkeys(Family.values, 0)
    for scope in data.scopes:
        for family, count in data.zones[scope.identifier]["all"]["establishments"]["ess_by_family"].items():
            totals[family] = totals.get(family, 0) + count
    everyone = sum(totals.values())
    rows = [
        {"family": both(Family(key).label), "ess": count, "share": count / everyone if everyone else None}
        for key, count in totals.items()
    ]
    return {
        "title": both(_("ESS establishments by family, all authorities of the study")),
        "columns": [
            _column("family", _("Family"), "text"),
            _column("ess", _("ESS establishments"), "count"),
            _column("share", _("Share"), "percent"),
        ],
        "rows": rows,
        "chart": {"category": "family", "value": "ess", "type": "count"},
        "source": _release_source(),
    }


ZONE_LABELS = {
    "qpv": _("In a QPV"),
    "proximite": _("Within 300 m of a QPV"),
    "hors_qpv": _("Elsewhere"),
}


def zones(data: FigureInputs, _arg: str) -> dict:
    counts = dict.fromkeys(ZONE_LABELS, 0)
    for scope in data.scopes:
        for zone in ZONE_LABELS:
            counts[zone] += data.zones[scope.identifier][zone]["establishments"]["ess"]
    everyone = sum(counts.values())
    rows = [
        {"zone": both(label), "ess": counts[zone], "share": counts[zone] / everyone if everyone else None}
        for zone, label in ZONE_LABELS.items()
    ]
    return {
        "title": both(_("ESS establishments inside, around and outside QPVs, all authorities of the study")),
        "columns": [
            _column("zone", _("Where"), "text"),
            _column("ess", _("ESS establishments"), "count"),
            _column("share", _("Share"), "percent"),
        ],
        "rows": rows,
        "chart": {"category": "zone", "value": "ess", "type": "count"},
        "source": _release_source(),
    }


def survey_question(data: FigureInputs, arg: str) -> dict:
    slug, _sep, code = arg.partition(":")
    campaign = data.campaigns.get(slug)
    if campaign is None:
        raise FigureError(f"survey figure: campaign {slug!r} is not an input of this edition")
    definition = campaign.version.parsed
    question = definition.question(code)
    if question is None or not (question.choices or question.type == "range"):
        raise FigureError(f"survey figure: {slug!r} has no choice question {code!r}")
    records = inputs.submitted_records(campaign)
    by_lang = {lang: inputs.distribution(question, records, lang) for lang in ("fr", "en")}
    rows = [
        {"answer": {"fr": fr["label"], "en": en["label"]}, "count": fr["count"], "share": fr["share"]}
        for fr, en in zip(by_lang["fr"].rows, by_lang["en"].rows, strict=True)
    ]
    respondents = by_lang["fr"].respondents
    title = {lang: question.text(lang) for lang in ("fr", "en")}
    source = {}
    for lang in ("fr", "en"):
        with translation.override(lang):
            source[lang] = str(
                _("Survey “%(campaign)s”, %(respondents)s authorities answered this question.")
                % {"campaign": campaign.title_en if lang == "en" and campaign.title_en else campaign.title_fr,
                   "respondents": respondents}
            )  # fmt: skip
    return {
        "title": title,
        "columns": [
            _column("answer", _("Answer"), "text"),
            _column("count", _("Authorities"), "count"),
            _column("share", _("Share of respondents"), "percent"),
        ],
        "rows": rows,
        "chart": {"category": "answer", "value": "count", "type": "count"},
        "source": source,
        "respondents": respondents,
    }


KINDS: dict[str, Callable[[FigureInputs, str], dict]] = {
    "benchmark_ess_share": benchmark_ess_share,
    "benchmark_qpv_share": benchmark_qpv_share,
    "families": families,
    "zones": zones,
    "survey": survey_question,
}


def compute(kind: str, data: FigureInputs) -> dict:
    name, _sep, arg = kind.partition(":")
    builder = KINDS.get(name)
    if builder is None:
        raise FigureError(f"unknown figure kind {kind!r}; kinds are {', '.join(sorted(KINDS))}")
    figure = builder(data, arg)
    figure["kind"] = kind
    return figure


def cell_text(value, lang: str) -> str:
    """A text cell of a stored figure: a proper name as is, a label in the reader's language."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("fr") or ""
    return "" if value is None else str(value)
