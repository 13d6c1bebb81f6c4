"""Reusable territorial reference for tests: real vendored files, limited to a few départements.

In a test that has database access (`db` fixture or `@pytest.mark.django_db`):

    from essor.territories.tests.fixtures import load_reference

    def test_something(db):
        load_reference()                        # 31, 69, 59, 75, 92, 93, 971: 1,676 communes, 295 QPV 2024
        load_reference(departements=("31",))    # smaller and faster

It loads the real files of `essor/territories/data/` (COG 2026 communes, EPCI and EPT, QPV 2024 contours,
the Occitanie QPV 2015 sample and the 2015 -> 2024 crosswalk) for those départements only, through the same
loader as `essor territories load --departements ...`. Régions and départements get the population of the
loaded communes only (a région is complete only if all its départements are loaded). EPCI keep their official
population. The files are parsed once per test process (cached); each call then writes the rows (< 1 s).

For read-only test modules, `module_reference(departements)` makes a module-scoped pytest fixture that loads
once (outside the per-test transactions) and clears the tables at the end of the module:

    reference = module_reference(("31", "69"))          # then: def test_x(reference, db): ...

`write_subset(dest, departements)` writes the same subset as files in the upstream formats (gzip JSON,
GeoJSON, CSV), in the layout `essor territories load --from DEST` expects: use it to alter files in tests.
"""

import copy
import csv
import gzip
import json
import shutil
from functools import cache
from pathlib import Path

import pytest

from essor.territories import loader
from essor.territories.sources import DATA_DIR

DEFAULT_DEPARTEMENTS = ("31", "69", "59", "75", "92", "93", "971")


@cache
def _prepared(departements: tuple[str, ...]) -> loader.Prepared:
    return loader.prepare(DATA_DIR, departements=list(departements))


def load_reference(departements=DEFAULT_DEPARTEMENTS) -> loader.LoadResult:
    """Load the reference of these départements into the test database; returns the load result."""
    prepared = copy.copy(_prepared(tuple(sorted(departements))))
    return loader.save(prepared)


def clear_reference() -> None:
    """Delete every row of the territorial reference (and its load records)."""
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

    for model in (QpvCrosswalk, Qpv.communes.through, Qpv, SearchEntry, Commune, Epci, Departement, Region):
        model.objects.all().delete()
    ReferenceLoad.objects.all().delete()


def module_reference(departements=DEFAULT_DEPARTEMENTS):
    """A module-scoped fixture: the reference of these départements, loaded once for the module's tests."""

    @pytest.fixture(scope="module")
    def reference(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            result = load_reference(departements)
            try:
                yield result
            finally:
                clear_reference()

    return reference


def _departement_of(commune_code: str) -> str:
    return (
        commune_code[:3]
        if commune_code.startswith("97") or commune_code.startswith("98")
        else commune_code[:2]
    )


def write_subset(dest, departements=("31",)) -> Path:
    """Write the vendored files of these départements to `dest` (same layout and formats); returns dest."""
    dest = Path(dest)
    keep = set(departements)
    source = DATA_DIR / "decoupage-administratif-6.0.0"
    target = dest / "decoupage-administratif-6.0.0"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "package.json", target / "package.json")

    def read(name):
        with gzip.open(source / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
            return json.load(handle)

    def write(name, rows):
        with gzip.open(target / f"{name}.json.gz", "wt", encoding="utf-8") as handle:
            json.dump(rows, handle, ensure_ascii=False)

    departements_rows = [row for row in read("departements") if row["code"] in keep]
    regions = {row["region"] for row in departements_rows}
    write("departements", departements_rows)
    write("regions", [row for row in read("regions") if row["code"] in regions])
    communes = [row for row in read("communes") if row["departement"] in keep]
    codes = {row["code"] for row in communes}
    write("communes", communes)
    for name in ("epci", "ept"):
        rows = []
        for row in read(name):
            members = [member for member in row["membres"] if member["code"] in codes]
            if members:
                rows.append({**row, "membres": members})
        write(name, rows)

    (dest / "qpv2024").mkdir(exist_ok=True)
    with gzip.open(
        DATA_DIR / "qpv2024" / "qpv2024_france_wgs84.geojson.gz", "rt", encoding="utf-8"
    ) as handle:
        collection = json.load(handle)
    collection["features"] = [
        feature
        for feature in collection["features"]
        if all(_departement_of(code) in keep for code in feature["properties"]["insee_com"].split(";"))
    ]
    with gzip.open(dest / "qpv2024" / "qpv2024_france_wgs84.geojson.gz", "wt", encoding="utf-8") as handle:
        json.dump(collection, handle)

    source_2015 = DATA_DIR / "qp2015-occitanie"
    (dest / "qp2015-occitanie").mkdir(exist_ok=True)
    collection = json.loads((source_2015 / "qp2015_occitanie_wgs84.geojson").read_text(encoding="utf-8"))
    collection["features"] = [
        f for f in collection["features"] if f["properties"]["code_departement"] in keep
    ]
    kept = {f["properties"]["code_qp"] for f in collection["features"]}
    (dest / "qp2015-occitanie" / "qp2015_occitanie_wgs84.geojson").write_text(json.dumps(collection), "utf-8")
    with (source_2015 / "qp2015_occitanie_caracteristiques.csv").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    with (dest / "qp2015-occitanie" / "qp2015_occitanie_caracteristiques.csv").open(
        "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(row for row in rows if row["code_qp"] in kept)
    return dest
