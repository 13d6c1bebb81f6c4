"""`essor territories load`: bring the reference tables in line with the upstream files, in one transaction.

Read and check every file first (building.py), then compare with the database and write only the differences
with bulk operations. A second run with the same files changes nothing and says so. Any bad input raises
LoadError (file + record) before anything is committed: the previous reference stays in place.

A load never removes more than MAX_REMOVED_SHARE of the régions, départements, EPCI, communes or QPV of one
generation already in the database (an empty or truncated file would otherwise empty the site), unless the operator
says so (`--allow-removals`, allow_removals=True): the geography changes by a few communes a year, not by a tenth.
"""

import time
from dataclasses import dataclass, field
from enum import Enum

from django.db import connection, transaction
from django.db.models import ProtectedError
from rich.progress import track as rich_track

from essor.territories.building import Reference, build_reference
from essor.territories.models import (
    Commune,
    Departement,
    Epci,
    Qpv,
    QpvCrosswalk,
    ReferenceLoad,
    Region,
    SearchEntry,
)
from essor.territories.sources import LoadError, decoupage_version, fingerprint, locate_sources

MAX_REMOVED_SHARE = 0.10
BATCH_SIZE = 500
INSERT_BATCH = 2000
QPV_FILE_VERSIONS = {"qpv2024": "QPV 2024 generation", "qp2015": "QPV 2015 generation"}
KINDS = (
    "region",
    "departement",
    "epci",
    "commune",
    "qpv_2024",
    "qpv_2015",
    "qpv_commune",
    "crosswalk",
    "search_entry",
)


@dataclass
class LoadResult:
    counts: dict
    report: dict
    changed: bool
    seconds: float
    reference_load: ReferenceLoad | None = None
    files: list = field(default_factory=list)
    population_load: object | None = None  # a QpvPopulationLoad when `update` also fetched the population


def _progress(enabled: bool):
    def track(iterable, description, total=None):
        return rich_track(iterable, description=description, total=total, disable=not enabled, transient=True)

    return track


@dataclass
class Prepared:
    """Everything read and checked from the files, ready to be written."""

    source_dir: str
    files: list
    reference: Reference
    departements: list | None


def prepare(source_dir, *, departements=None, progress: bool = False) -> Prepared:
    """Read and check every file (LoadError on bad input); nothing touches the database."""
    sources = locate_sources(source_dir)
    version = decoupage_version(sources)
    files = []
    for role, path in sources.all_files():
        files.append(
            {
                "role": role,
                "name": str(path.relative_to(sources.root)),
                **fingerprint(path),
                "version": version if role.startswith("decoupage") else QPV_FILE_VERSIONS[role.split(":")[0]],
            }
        )
    reference = build_reference(sources, departements=departements, track=_progress(progress))
    return Prepared(str(sources.root), files, reference, sorted(departements) if departements else None)


class MassRemovalRefused(LoadError):
    """The load would remove more than MAX_REMOVED_SHARE of what one kind has in the database."""


# kind -> (the file it comes from, its rows in the reference, its rows in the database)
_GUARDED = {
    "region": ("decoupage:regions", lambda ref: ref.regions, Region.objects.all),
    "departement": ("decoupage:departements", lambda ref: ref.departements, Departement.objects.all),
    "epci": ("decoupage:epci", lambda ref: ref.epcis, Epci.objects.all),
    "commune": ("decoupage:communes", lambda ref: ref.communes, Commune.objects.all),
    "qpv_2024": ("qpv2024", lambda ref: _generation(ref, 2024), lambda: Qpv.objects.filter(generation=2024)),
    "qpv_2015": ("qp2015", lambda ref: _generation(ref, 2015), lambda: Qpv.objects.filter(generation=2015)),
}


def check_removals(prepared: Prepared, *, allow_removals: bool = False) -> None:
    """MassRemovalRefused (naming the file, the counts and the way out) when the load would remove too much."""
    if allow_removals:
        return
    names = {item["role"]: item["name"] for item in prepared.files}
    for kind, (role, target, current) in _GUARDED.items():
        existing = set(current().values_list("pk", flat=True))
        removed = len(existing - target(prepared.reference).keys())
        if existing and removed > MAX_REMOVED_SHARE * len(existing):
            raise MassRemovalRefused(
                f"{prepared.source_dir}/{names.get(role, role)}",
                f"this load would remove {removed} of the {len(existing)} {kind} in the database "
                f"({removed / len(existing):.0%}; at most {MAX_REMOVED_SHARE:.0%} may go in one load). "
                "Is the file empty, truncated or the wrong one? If the removal is intended, "
                "run it again with --allow-removals",
            )


def save(
    prepared: Prepared,
    *,
    progress: bool = False,
    started: float | None = None,
    allow_removals: bool = False,
) -> LoadResult:
    """Write the differences and a ReferenceLoad, in one transaction."""
    started = time.monotonic() if started is None else started
    with transaction.atomic():
        check_removals(prepared, allow_removals=allow_removals)
        counts = apply_reference(prepared.reference, _progress(progress))
        changed = any(c["added"] or c["updated"] or c["removed"] for c in counts.values())
        seconds = round(time.monotonic() - started, 2)
        report = {**prepared.reference.report, "seconds": seconds}
        if prepared.departements:
            report["departements"] = prepared.departements
        record = ReferenceLoad.objects.create(
            source_dir=prepared.source_dir,
            files=prepared.files,
            counts=counts,
            report=report,
            changed=changed,
        )
    return LoadResult(counts, report, changed, seconds, record, prepared.files)


def load_reference(
    source_dir, *, departements=None, progress: bool = False, allow_removals: bool = False
) -> LoadResult:
    """Load the reference from `source_dir` (layout of essor/territories/data); see the module docstring."""
    started = time.monotonic()
    prepared = prepare(source_dir, departements=departements, progress=progress)
    return save(prepared, progress=progress, started=started, allow_removals=allow_removals)


def apply_reference(ref: Reference, track) -> dict:
    counts, removals = {}, []
    for kind, model, rows, queryset in (
        ("region", Region, ref.regions, Region.objects.all()),
        ("departement", Departement, ref.departements, Departement.objects.all()),
        ("epci", Epci, ref.epcis, Epci.objects.all()),
        ("commune", Commune, ref.communes, Commune.objects.all()),
        ("qpv_2024", Qpv, _generation(ref, 2024), Qpv.objects.filter(generation=2024)),
        ("qpv_2015", Qpv, _generation(ref, 2015), Qpv.objects.filter(generation=2015)),
        ("search_entry", SearchEntry, ref.search_entries, SearchEntry.objects.all()),
    ):
        counts[kind], removed = _sync(model, queryset, rows, track, kind)
        removals.append((model, removed))
    counts["qpv_commune"], removed_links = _sync_links(ref.qpv_communes)
    counts["crosswalk"], removed_pairs = _sync_crosswalk(ref.crosswalk)
    Qpv.communes.through.objects.filter(pk__in=removed_links).delete()
    QpvCrosswalk.objects.filter(pk__in=removed_pairs).delete()
    for model, removed in reversed(removals):
        for start in range(0, len(removed), BATCH_SIZE):
            try:
                model.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()
            except ProtectedError as exc:
                example = next(iter(exc.protected_objects), None)
                raise LoadError(
                    model._meta.db_table,
                    f"cannot remove it: still used by {example!r}",
                    record=removed[start],
                ) from None
    return counts


def _generation(ref: Reference, generation: int) -> dict:
    return {code: row for code, row in ref.qpvs.items() if row["generation"] == generation}


def _same(current, target) -> bool:
    if isinstance(current, memoryview):
        current = bytes(current)
    return current == target


def _sync(model, queryset, rows: dict, track, kind: str) -> tuple[dict, list]:
    fields = list(next(iter(rows.values())).keys()) if rows else []
    pk_name = model._meta.pk.attname
    current = {row[pk_name]: row for row in queryset.values(pk_name, *fields)} if fields else {}
    if not fields:
        current = {pk: None for pk in queryset.values_list("pk", flat=True)}
    added = [{pk_name: pk, **row} for pk, row in rows.items() if pk not in current]
    updated = [
        model(**{pk_name: pk, **row})
        for pk, row in rows.items()
        if pk in current and not all(_same(current[pk][name], value) for name, value in row.items())
    ]
    removed = [pk for pk in current if pk not in rows]
    _insert(model, added, track, kind)
    if updated:
        model.objects.bulk_update(updated, fields, batch_size=BATCH_SIZE)
    counts = {"added": len(added), "updated": len(updated), "removed": len(removed), "total": len(rows)}
    return counts, removed


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _insert(model, rows: list[dict], track, kind: str) -> None:
    """INSERT with executemany: the rows are already checked, and Model.bulk_create costs 10x more in Python."""
    if not rows:
        return
    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    names = list(rows[0])
    quote = connection.ops.quote_name
    # Table and column names come from the model's metadata, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(columns[name]) for name in names),
        ", ".join(["%s"] * len(names)),
    )
    batches = range(0, len(rows), INSERT_BATCH)
    with connection.cursor() as cursor:
        for start in track(batches, f"{kind}: add", len(batches)):
            batch = rows[start : start + INSERT_BATCH]
            cursor.executemany(sql, [tuple(_plain(row[name]) for name in names) for row in batch])


def _sync_links(links: set) -> tuple[dict, list]:
    through = Qpv.communes.through
    current = {(row[1], row[2]): row[0] for row in through.objects.values_list("pk", "qpv_id", "commune_id")}
    added = [through(qpv_id=qpv, commune_id=commune) for qpv, commune in sorted(links - current.keys())]
    through.objects.bulk_create(added, batch_size=BATCH_SIZE)
    removed = [pk for pair, pk in current.items() if pair not in links]
    return {"added": len(added), "updated": 0, "removed": len(removed), "total": len(links)}, removed


def _sync_crosswalk(pairs: dict) -> tuple[dict, list]:
    current = {
        (row["qpv_2015_id"], row["qpv_2024_id"]): row
        for row in QpvCrosswalk.objects.values("pk", "qpv_2015_id", "qpv_2024_id", *_SHARES)
    }
    added, updated = [], []
    for (code_2015, code_2024), shares in sorted(pairs.items()):
        row = current.get((code_2015, code_2024))
        if row is None:
            added.append(QpvCrosswalk(qpv_2015_id=code_2015, qpv_2024_id=code_2024, **shares))
        elif any(row[name] != value for name, value in shares.items()):
            updated.append(QpvCrosswalk(pk=row["pk"], qpv_2015_id=code_2015, qpv_2024_id=code_2024, **shares))
    QpvCrosswalk.objects.bulk_create(added, batch_size=BATCH_SIZE)
    QpvCrosswalk.objects.bulk_update(updated, list(_SHARES), batch_size=BATCH_SIZE)
    removed = [row["pk"] for pair, row in current.items() if pair not in pairs]
    counts = {"added": len(added), "updated": len(updated), "removed": len(removed), "total": len(pairs)}
    return counts, removed


_SHARES = ("share_of_2015_area", "share_of_2024_area")
