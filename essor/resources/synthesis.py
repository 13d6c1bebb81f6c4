"""Synthesis of the experiences inventory: counts by région, audience, format and start decade, and the
distribution of each criterion of the analysis grid. Every table is a list of rows (label, count, share) so pages,
CSV exports and tests read the same thing.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from essor.resources import places
from essor.resources.models import (
    Assessment,
    Audience,
    Criterion,
    CriterionKind,
    Experience,
    ExperienceFormat,
)


@dataclass
class Row:
    key: str
    label: str
    count: int
    share: float | None = None


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    total: int
    mean: float | None = None  # for scored criteria
    is_demo: bool = False
    notes: list[str] = field(default_factory=list)


def _rows(counter: Counter, labels: dict, total: int, order: list | None = None) -> list[Row]:
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], str(labels.get(k, k))))
    return [
        Row(str(k), str(labels.get(k, k)), counter.get(k, 0), counter.get(k, 0) / total if total else None)
        for k in keys
    ]


def by_region(experiences: list) -> list[Row]:
    counter = Counter()
    for e in experiences:
        if e.territory_id.startswith("france:"):
            counter["national"] += 1
        else:
            counter[e.region_code or "unknown"] += 1
    labels = {code: places.region_name(code) for code in counter}
    labels.update({"national": _("National"), "unknown": pgettext("experience", "Not located")})
    return _rows(counter, labels, len(experiences))


def synthesise(queryset: QuerySet) -> list[Table]:
    experiences = list(queryset.only("pk", "territory_id", "region_code", "format", "start_year"))
    ids = [e.pk for e in experiences]
    total = len(experiences)
    tables = [Table("region", _("Experiences by région"), by_region(experiences), total)]

    links = Experience.audiences.through.objects.filter(experience_id__in=ids)
    audience_counts = Counter(links.values_list("audience__slug", flat=True))
    labels = {a.slug: a.name for a in Audience.objects.all()}
    tables.append(
        Table(
            "audience",
            _("Experiences by audience"),
            _rows(audience_counts, labels, total, list(labels)),
            total,
            notes=[_("An experience may address several audiences.")],
        )
    )

    format_counts = Counter(e.format or "unknown" for e in experiences)
    format_labels = dict(ExperienceFormat.choices) | {"unknown": _("Not stated")}
    tables.append(
        Table("format", _("Experiences by format"), _rows(format_counts, format_labels, total), total)
    )

    decades = Counter(f"{e.start_year // 10 * 10}s" if e.start_year else "unknown" for e in experiences)
    decade_labels = {"unknown": _("Not stated")}
    tables.append(
        Table(
            "decade",
            _("Experiences by decade of start"),
            _rows(decades, decade_labels, total, sorted(decades)),
            total,
        )
    )

    tables.extend(criterion_tables(ids))
    return tables


def criterion_tables(experience_ids: list[int]) -> list[Table]:
    assessments = list(
        Assessment.objects.filter(experience_id__in=experience_ids).values_list(
            "criterion_id", "score", "option_id"
        )
    )
    tables = []
    for criterion in Criterion.objects.prefetch_related("options"):
        mine = [(score, option) for cid, score, option in assessments if cid == criterion.pk]
        assessed = len(mine)
        if criterion.kind == CriterionKind.SCORE:
            counter = Counter(score for score, _option in mine if score is not None)
            scale = list(range(0, criterion.scale_max + 1))
            rows = _rows(counter, {s: str(s) for s in scale}, assessed, scale)
            scores = [score for score, _option in mine if score is not None]
            mean = sum(scores) / len(scores) if scores else None
        else:
            counter = Counter(option for _score, option in mine if option is not None)
            options = list(criterion.options.all())
            rows = _rows(counter, {o.pk: o.label for o in options}, assessed, [o.pk for o in options])
            mean = None
        tables.append(
            Table(f"criterion-{criterion.slug}", criterion.name, rows, assessed, mean, criterion.is_demo)
        )
    return tables
