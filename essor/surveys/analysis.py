"""Analysis of a campaign: response rates, the distribution of each question, cross-tabulations, free text.

Only submitted responses count. Shares are of the respondents who answered the question (a multiple choice can
sum to more than 100 %). Groups are the authority's facts at invitation time: EPCI nature, région, population band.
An analysis limited to a région (a CRESS operator's view) reads only that région's invitations.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.surveys.definition import OTHER_VALUE, Definition, Question
from essor.surveys.models import Answer, Campaign, Invitation, InvitationStatus

POPULATION_BANDS = [
    (0, 50_000, gettext_lazy("under 50,000 inhabitants")),
    (50_000, 100_000, gettext_lazy("50,000 to 100,000")),
    (100_000, 250_000, gettext_lazy("100,000 to 250,000")),
    (250_000, 500_000, gettext_lazy("250,000 to 500,000")),
    (500_000, None, gettext_lazy("500,000 and more")),
]
GROUPINGS = ("nature", "region", "population")
CHOICE_TYPES = {"select_one", "select_multiple", "range"}
NUMBER_TYPES = {"integer", "decimal"}
TEXT_KINDS = {"text", "long_text"}


def population_band(population: int | None) -> str:
    if population is None:
        return str(_("population unknown"))
    for low, high, label in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return str(label)
    return str(_("population unknown"))


def nature_label(code: str) -> str:
    from essor.territories.models import EpciNature

    try:
        return str(EpciNature(code).label)
    except ValueError:
        return code or str(_("unknown"))


@dataclass
class Record:
    invitation: Invitation
    values: dict

    def group(self, by: str) -> str:
        if by == "nature":
            return nature_label(self.invitation.nature)
        if by == "region":
            return self.invitation.region_name or str(_("unknown"))
        return population_band(self.invitation.population)


def invitations_of(campaign: Campaign, region: str = ""):
    invitations = campaign.invitations.all()
    return invitations.for_region(region) if region else invitations


def submitted_records(campaign: Campaign, region: str = "") -> list[Record]:
    invitations = list(invitations_of(campaign, region).submitted().order_by("authority_name"))
    values: dict[int, dict] = {i.pk: {} for i in invitations}
    answers = Answer.objects.filter(response__invitation__in=[i.pk for i in invitations]).values_list(
        "response__invitation_id", "code", "value"
    )
    for invitation_id, code, value in answers:
        if value not in (None, "", [], {}):
            values[invitation_id][code] = value
    return [Record(i, values[i.pk]) for i in invitations]


@dataclass
class RateRow:
    label: str
    invited: int
    submitted: int
    in_progress: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def response_rates(campaign: Campaign, by: str, region: str = "") -> list[RateRow]:
    groups: dict[str, RateRow] = {}
    for invitation in invitations_of(campaign, region):
        label = Record(invitation, {}).group(by)
        row = groups.setdefault(label, RateRow(label, 0, 0, 0))
        row.invited += 1
        row.submitted += invitation.status == InvitationStatus.SUBMITTED
        row.in_progress += invitation.status == InvitationStatus.IN_PROGRESS
    return sorted(groups.values(), key=lambda row: (-row.invited, row.label))


def status_counts(campaign: Campaign, region: str = "") -> dict[str, int]:
    counts = Counter(invitations_of(campaign, region).values_list("status", flat=True))
    return {status: counts.get(status, 0) for status in InvitationStatus.values}


@dataclass
class Distribution:
    question: Question
    respondents: int  # submitted responses that answered this question
    total: int  # submitted responses
    rows: list[dict] = field(default_factory=list)  # {"key", "label", "count", "share"}
    stats: dict | None = None  # numbers: n, mean, median, min, max, sum
    grid: list[dict] | None = None  # grid: {"label", "counts": [..]}, columns = choice labels
    columns: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (authority, text), free text only
    others: list[str] = field(default_factory=list)  # "other, specify" texts


def _choice_labels(question: Question, language: str) -> list[tuple[str, str]]:
    if question.type == "range":
        start, end, step = question.range_bounds()
        return [(str(n), str(n)) for n in range(start, end + 1, step)]
    labels = [(c.value, c.text(language)) for c in question.choices]
    if question.or_other:
        labels.append((OTHER_VALUE, _("Other")))
    return labels


def distribution(
    question: Question, records: list[Record], language: str, *, with_text: bool
) -> Distribution:
    answered = [r for r in records if question.code in r.values]
    result = Distribution(question, len(answered), len(records))
    values = [r.values[question.code] for r in answered]
    if question.type in CHOICE_TYPES:
        counts = Counter()
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                counts[str(item)] += 1
        result.rows = [
            {
                "key": key,
                "label": label,
                "count": counts.get(key, 0),
                "share": counts.get(key, 0) / len(answered) if answered else None,
            }
            for key, label in _choice_labels(question, language)
        ]
        if question.or_other and with_text:
            result.others = sorted(
                r.values.get(f"{question.code}_other", "")
                for r in answered
                if r.values.get(f"{question.code}_other")
            )
    elif question.type in NUMBER_TYPES:
        numbers = [float(v) for v in values if isinstance(v, (int, float))]
        if numbers:
            result.stats = {
                "n": len(numbers),
                "mean": statistics.fmean(numbers),
                "median": statistics.median(numbers),
                "min": min(numbers),
                "max": max(numbers),
                "sum": sum(numbers),
            }
    elif question.type == "grid":
        columns = _choice_labels(question, language)
        result.columns = [label for _key, label in columns]
        result.grid = []
        for row in question.rows:
            counts = Counter(v.get(row.value) for v in values if isinstance(v, dict))
            result.grid.append(
                {"label": row.text(language), "counts": [counts.get(key, 0) for key, _label in columns]}
            )
    elif question.type == "rank":
        positions: dict[str, list[int]] = {c.value: [] for c in question.choices}
        for value in values:
            for position, item in enumerate(value if isinstance(value, list) else [], start=1):
                positions.setdefault(item, []).append(position)
        result.rows = sorted(
            (
                {
                    "key": c.value,
                    "label": c.text(language),
                    "count": len(positions[c.value]),
                    "mean_position": statistics.fmean(positions[c.value]) if positions[c.value] else None,
                }
                for c in question.choices
            ),
            key=lambda row: (row["mean_position"] is None, row["mean_position"] or 0),
        )
    elif question.kind in TEXT_KINDS and with_text:
        result.texts = [(r.invitation.authority_name, str(r.values[question.code])) for r in answered]
    return result


def analysable(definition: Definition) -> list[Question]:
    return [q for q in definition.questions() if q.answers and q.type != "file"]


@dataclass
class CrossTab:
    question: Question
    by: str
    columns: list[str]
    rows: list[dict]  # {"label", "respondents", "counts": [...], "shares": [...]}


def crosstab(question: Question, records: list[Record], by: str, language: str) -> CrossTab | None:
    """Choices of a single or multiple choice question by group (nature, région or population band)."""
    if question.type not in CHOICE_TYPES or by not in GROUPINGS:
        return None
    keys = _choice_labels(question, language)
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.group(by), []).append(record)
    rows = []
    for label, members in sorted(groups.items()):
        answered = [m for m in members if question.code in m.values]
        counts = Counter()
        for member in answered:
            value = member.values[question.code]
            for item in value if isinstance(value, list) else [value]:
                counts[str(item)] += 1
        row_counts = [counts.get(key, 0) for key, _label in keys]
        rows.append(
            {
                "label": label,
                "respondents": len(answered),
                "counts": row_counts,
                "shares": [count / len(answered) if answered else None for count in row_counts],
            }
        )
    return CrossTab(question, by, [label for _key, label in keys], rows)
