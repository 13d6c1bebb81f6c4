"""Open data of a release: three tables in CSV and Parquet, described by a Frictionless Data Package (v2).

Files are written aside (a temporary folder) then renamed into DATA_DIR/releases/<id>/opendata/, so a reader
never sees half a package; they go away with the release when it is pruned. The package names its licence
(Licence Ouverte 2.0), its vintage, its sources, and the size and SHA-256 of every file. A synthetic release
(the demonstration) says so in its title and description.

CSV: UTF-8, comma, header, "." as decimal separator, empty = missing (machine-readable; the pages' own
exports follow the French spreadsheet conventions instead). Parquet: the same columns, typed, zstd-compressed.
Both written by DuckDB (opendata_files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from essor.diffusion import opendata_files
from essor.diffusion.tables import ROWS, TABLES, Table
from essor.sirene.models import Release, ReleaseStatus
from essor.sirene.release import release_dir

logger = logging.getLogger(__name__)

PACKAGE_FILE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
DIALECT_PROFILE = "https://datapackage.org/profiles/2.0/tabledialect.json"
LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}
SOURCES = [
    {
        "title": "INSEE, Base Sirene des entreprises et de leurs établissements",
        "path": "https://www.data.gouv.fr/datasets/5b7ffc618b4c4169d30727e0/",
    },
    {
        "title": "INSEE, Géolocalisation des établissements du répertoire Sirene pour les études statistiques",
        "path": "https://www.data.gouv.fr/datasets/61d5e2d372a52d9f9411ff88/",
    },
    {
        "title": "ANCT, Quartiers prioritaires de la politique de la ville (QPV)",
        "path": "https://sig.ville.gouv.fr/",
    },
]
FORMATS = {
    "csv": {"mediatype": "text/csv", "label": "CSV"},
    "parquet": {"mediatype": "application/vnd.apache.parquet", "label": "Parquet"},
    "json": {"mediatype": "application/json", "label": "JSON"},
}
# Titles and descriptions in both languages (the files are read by French and English reusers alike).
RELEASE_TITLE = gettext_noop("ESS in priority neighbourhoods — SIRENE release of %(vintage)s")
SYNTHETIC_TITLE = gettext_noop(
    "ESS in priority neighbourhoods — synthetic demonstration release of %(vintage)s"
)
SYNTHETIC_WARNING = gettext_noop(
    "Synthetic demonstration data: not real establishments. Do not reuse as statistics."
)
ABOUT = gettext_noop(
    "Active establishments of the social and solidarity economy (ESS) from the INSEE SIRENE files, located "
    "inside priority neighbourhoods (QPV 2024), within 300 m of one, or elsewhere; counts of every active "
    "establishment; indicators of every territory. No personal data: sole proprietors and partially "
    "diffusible records are published without name, address or position."
)


def package_dir(release: Release) -> Path:
    return release_dir(release.pk) / "opendata"


def package_slug(release: Release) -> str:
    return f"essor-ess-qpv-{release.vintage.isoformat()}" + ("-synthetique" if release.synthetic else "")


def file_name(table: Table, fmt: str) -> str:
    return f"{table.name}.{fmt}"


def read_package(release: Release) -> dict | None:
    """The published datapackage.json of a release, or None when its files are not (yet) published."""
    path = package_dir(release) / PACKAGE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def is_current(release: Release, package: dict | None) -> bool:
    """Whether a published package was written from this very state of the release (its fingerprint)."""
    return package is not None and package.get("essor:fingerprint") == release.fingerprint


def published_releases() -> list[tuple[Release, dict]]:
    """Kept (ready) releases whose files are published, newest first, with their package."""
    found = []
    for release in Release.objects.filter(status=ReleaseStatus.READY).order_by("-vintage", "-finished_at"):
        package = read_package(release)
        if package is not None:
            found.append((release, package))
    return found


def release_for_vintage(vintage: dt.date) -> Release | None:
    """The kept release of a vintage whose files are published (the serving one first)."""
    candidates = Release.objects.filter(status=ReleaseStatus.READY, vintage=vintage)
    for release in candidates.order_by("-is_active", "-finished_at"):
        if read_package(release) is not None:
            return release
    return None


def release_title(release: Release) -> str:
    return SYNTHETIC_TITLE if release.synthetic else RELEASE_TITLE


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def both_languages(message: str, **values) -> tuple[str, str]:
    texts = []
    for language in ("fr", "en"):
        with translation.override(language):
            texts.append(_(message) % values if values else _(message))
    return texts[0], texts[1]


def _schema(table: Table) -> dict:
    schema = {
        "$schema": SCHEMA_PROFILE,
        "fields": [
            {"name": c.name, "type": c.type, "description": c.description}
            | ({"format": "default"} if c.type == "date" else {})
            for c in table.columns
        ],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    return schema


def _resource(table: Table, fmt: str, path: Path, rows: int, synthetic: bool) -> dict:
    note = " Synthetic demonstration data: not real establishments." if synthetic else ""
    resource = {
        "$schema": RESOURCE_PROFILE,
        "name": f"{table.name}-{fmt}",
        "path": path.name,
        "title": f"{table.title_fr} ({FORMATS[fmt]['label']}) — {table.title_en}",
        "description": table.description + note,
        "format": fmt,
        "mediatype": FORMATS[fmt]["mediatype"],
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "licenses": [LICENCE],
        "essor:rows": rows,
    }
    if fmt == "csv":
        resource |= {
            "type": "table",
            "encoding": "utf-8",
            "dialect": {"$schema": DIALECT_PROFILE, "delimiter": ",", "header": True, "quoteChar": '"'},
            "schema": _schema(table),
        }
    else:
        # Parquet carries its own typed schema (the CSV resource's columns); described as a file so that any
        # Frictionless reader checks its size and checksum without a Parquet engine.
        resource |= {"type": "file", "essor:sameColumnsAs": f"{table.name}-csv"}
    return resource


def build_descriptor(release: Release, resources: list[dict]) -> dict:
    vintage = release.vintage.isoformat()
    title_fr, title_en = both_languages(release_title(release), vintage=vintage)
    about_fr, about_en = both_languages(ABOUT)
    description = f"{about_fr}\n\n{about_en}"
    if release.synthetic:
        warn_fr, warn_en = both_languages(SYNTHETIC_WARNING)
        description = f"{warn_fr} {warn_en}\n\n{description}"
    return {
        "$schema": PROFILE,
        "name": package_slug(release),
        "id": f"essor:release:{release.pk}:{release.fingerprint[:16]}",
        "title": f"{title_fr} / {title_en}",
        "description": description,
        "version": vintage,
        "created": (release.finished_at or timezone.now()).replace(microsecond=0).isoformat(),
        "keywords": ["ESS", "économie sociale et solidaire", "QPV", "politique de la ville", "SIRENE"],
        "licenses": [LICENCE],
        "sources": SOURCES,
        "contributors": [{"title": "essor", "roles": ["publisher"]}],
        "resources": resources,
        # Vintage and provenance, for reusers and for the DCAT catalogue.
        "essor:vintage": vintage,
        "essor:synthetic": release.synthetic,
        "essor:rulesVersion": release.rules_version,
        "essor:fingerprint": release.fingerprint,
        "essor:inputs": [
            {key: item.get(key) for key in ("role", "name", "sha256", "rows") if key in item}
            for item in (release.inputs or [])
        ],
    }


def publish(release: Release, force: bool = False, duckdb=None) -> dict:
    """Write the release's open-data package (idempotent: an existing package of the same release is kept
    unless `force`). `duckdb`: the pipeline's connection with the views release_ess and release_counts
    (signals.release_built), else the release's rows are read from the database. Returns
    {"package": descriptor, "changed": bool, "seconds": float}."""
    target = package_dir(release)
    existing = read_package(release)
    if existing is not None and not force and is_current(release, existing):
        return {"package": existing, "changed": False, "seconds": 0.0}
    started = time.perf_counter()
    work = target.with_name(f"opendata.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    con = duckdb if duckdb is not None else opendata_files.connect()
    loaded: list[str] = []
    try:
        resources = []
        # One read transaction: the three tables describe the same state of the release.
        with transaction.atomic():
            if duckdb is not None:
                relations = dict(opendata_files.PIPELINE_VIEWS)
            else:
                relations = opendata_files.load_release(con, release)
                loaded += relations.values()
            for name, rows in ROWS.items():
                relations[name] = opendata_files.load_computed(con, _table(name), rows(release))
                loaded.append(relations[name])
        for table in TABLES:
            csv_path, parquet_path = work / file_name(table, "csv"), work / file_name(table, "parquet")
            count = opendata_files.write(con, table, relations[table.name], csv_path, parquet_path)
            resources.append(_resource(table, "csv", csv_path, count, release.synthetic))
            resources.append(_resource(table, "parquet", parquet_path, count, release.synthetic))
        descriptor = build_descriptor(release, resources)
        (work / PACKAGE_FILE).write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        old = target.with_name(f"opendata.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if duckdb is None:
            con.close()
        else:
            opendata_files.drop(con, loaded)
    seconds = round(time.perf_counter() - started, 2)
    logger.info("Open data of release %s published in %s s", release.pk, seconds)
    return {"package": descriptor, "changed": True, "seconds": seconds}


def _table(name: str) -> Table:
    return next(table for table in TABLES if table.name == name)


def on_release_built(sender, release, duckdb=None, **kwargs):
    """Receiver of essor.sirene.signals.release_built: the release switches in with its files published, written
    from the pipeline's own DuckDB connection when the signal carries it."""
    if not settings.ESSOR_OPENDATA_ON_RELEASE:
        return
    cpu = time.process_time()
    outcome = publish(release, force=True, duckdb=duckdb)
    timings = dict(release.timings or {})
    timings["opendata"] = outcome["seconds"]
    timings["cpu"] = {**timings.get("cpu", {}), "opendata": round(time.process_time() - cpu, 2)}
    release.timings = timings
    release.save(update_fields=["timings"])
