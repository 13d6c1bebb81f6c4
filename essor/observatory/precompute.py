"""Precompute every territory's indicators when a release is built (before it is switched in).

France, régions, départements, EPCI and EPT, communes and arrondissements, QPV (2024 and 2015) with at least one
establishment get one IndicatorSnapshot per non-empty zone. A failure raises, and the pipeline then aborts the
release. The figures are rolled up in DuckDB (rollup.py), from the pipeline's own connection at ingestion.
Measured in docs/benchmarks.md.
"""

import logging
import time

from django.db import connection, transaction

from essor.observatory.models import IndicatorSnapshot
from essor.observatory.rollup import bulk_all
from essor.observatory.scope import france_population
from essor.territories.models import Commune, Departement, Epci, Qpv, Region

logger = logging.getLogger(__name__)
BATCH = 2_000

POPULATION_MODELS = {
    "region": Region,
    "departement": Departement,
    "epci": Epci,
    "commune": Commune,
    "qpv": Qpv,
}


def _populations(model) -> dict:
    if model is None:
        return {"FR": france_population()}
    return dict(model.objects.exclude(population=None).values_list("pk", "population"))


def _insert(rows: list[tuple]) -> None:
    # executemany: bulk_create spent more time building SQL and model instances than the database writing.
    if not rows:
        return
    table = connection.ops.quote_name(IndicatorSnapshot._meta.db_table)
    data = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (release_id, kind, code, zone, data) VALUES (%s, %s, %s, %s, {data})",  # noqa: S608
            rows,
        )


def precompute_release(release, progress=None, duckdb=None) -> dict:
    """Replace the release's snapshots; return {kind: snapshots written, "seconds": wall time}.

    No long write transaction: the snapshots are computed outside any transaction and written BATCH rows per
    short transaction, so sign-ins and other writes go through between batches (one transaction for a national
    release held SQLite's write lock longer than its 30 s timeout). The release is still "building", so no
    reader sees a partial set; on failure the rows written so far are deleted and the error is raised.
    `duckdb`: the pipeline's connection with the release's rows (signals.release_built), else read from the database.
    """
    started = time.perf_counter()
    written: dict[str, int] = {}
    populations = {kind: _populations(model) for kind, model in POPULATION_MODELS.items()}
    populations["france"] = _populations(None)
    IndicatorSnapshot.objects.filter(release=release).delete()
    try:
        batch = []
        for kind, code, zone, data in bulk_all(release, populations, duckdb):
            batch.append((release.pk, kind, code, zone, data))
            written[kind] = written.get(kind, 0) + 1
            if len(batch) >= BATCH:
                with transaction.atomic():
                    _insert(batch)
                batch = []
        with transaction.atomic():
            _insert(batch)
    except BaseException:
        IndicatorSnapshot.objects.filter(release=release).delete()
        raise
    if progress:
        progress(sum(written.values()))
    written["seconds"] = round(time.perf_counter() - started, 2)
    logger.info("Observatory snapshots for release %s: %s", release.pk, written)
    return written


def on_release_built(sender, release, duckdb=None, **kwargs):
    """Receiver of essor.sirene.signals.release_built: any exception aborts the release."""
    cpu = time.process_time()
    summary = precompute_release(release, duckdb=duckdb)
    timings = dict(release.timings or {})
    timings["observatory_precompute"] = summary["seconds"]
    timings["cpu"] = {**timings.get("cpu", {}), "observatory_precompute": round(time.process_time() - cpu, 2)}
    release.timings = timings
    release.save(update_fields=["timings"])
