"""CSV exports of the catalogue: stable English column names, both languages' content, one row per item.

Organisation names are public bodies; no person's data is stored on these rows, so nothing needs removing.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from essor.core.exports import safe_cell
from essor.resources.models import Assessment, Criterion, CriterionKind
from essor.resources.synthesis import Table

RESOURCE_COLUMNS = [
    "slug",
    "title_fr",
    "title_en",
    "kind",
    "format",
    "languages",
    "level",
    "duration_minutes",
    "author",
    "year",
    "licence",
    "url",
    "audiences",
    "themes",
    "summary_fr",
    "summary_en",
    "origin",
    "is_demo",
    "source_file",
    "source_line",
]
EXPERIENCE_COLUMNS = [
    "slug",
    "title_fr",
    "title_en",
    "territory_label",
    "territory_id",
    "region_code",
    "longitude",
    "latitude",
    "period_label",
    "start_year",
    "end_year",
    "carrier",
    "partners",
    "audiences",
    "format",
    "format_label",
    "people_trained",
    "url",
    "summary_fr",
    "summary_en",
    "origin",
    "is_demo",
    "source_file",
    "source_line",
]


def _slugs(related) -> str:
    return ";".join(term.slug for term in related.all())


def resource_rows(resources: QuerySet) -> Iterator[list]:
    yield RESOURCE_COLUMNS
    for r in resources.prefetch_related("audiences", "themes").order_by("title_fr"):
        values = {c: getattr(r, c) for c in RESOURCE_COLUMNS if hasattr(r, c)}
        values.update(audiences=_slugs(r.audiences), themes=_slugs(r.themes))
        yield [values[c] for c in RESOURCE_COLUMNS]


def experience_rows(experiences: QuerySet) -> Iterator[list]:
    """One column per criterion of the analysis grid (`grid:<slug>`): the score, or the chosen option's value."""
    criteria = list(Criterion.objects.all())
    yield EXPERIENCE_COLUMNS + [f"grid:{c.slug}" for c in criteria]
    experiences = list(experiences.prefetch_related("audiences").order_by("title_fr"))
    grid = {}
    for a in Assessment.objects.filter(experience__in=[e.pk for e in experiences]).select_related(
        "option", "criterion"
    ):
        value = a.score if a.criterion.kind == CriterionKind.SCORE else (a.option.value if a.option else "")
        grid[a.experience_id, a.criterion_id] = value
    for e in experiences:
        values = {c: getattr(e, c) for c in EXPERIENCE_COLUMNS if hasattr(e, c)}
        values["audiences"] = _slugs(e.audiences)
        yield [values[c] for c in EXPERIENCE_COLUMNS] + [grid.get((e.pk, c.pk), "") for c in criteria]


def synthesis_rows(tables: Iterable[Table]) -> Iterator[list]:
    yield ["table", "title", "key", "label", "count", "share", "is_demo"]
    for table in tables:
        for row in table.rows:
            share = "" if row.share is None else round(row.share, 4)
            yield [table.key, table.title, row.key, row.label, row.count, share, table.is_demo]


def to_csv(rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()
