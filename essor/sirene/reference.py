"""Small reference tables copied into the pipeline's DuckDB database: communes, families, bands, NAF, QPV codes.

The commune table maps every code SIRENE may use (communes, arrondissements municipaux, communes déléguées and
associées) to its place: the commune that counts, with its EPCI, département, région and metric coordinate
system (the place table).
"""

from __future__ import annotations

import json
from functools import cache

import duckdb

from essor.sirene import naf, rules
from essor.sirene.qpv_attribution import QpvIndex
from essor.territories.geometry import metric_epsg
from essor.territories.models import Commune, CommuneKind, Qpv, QpvGeneration


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    definition = ", ".join(f"{column} {sql_type}" for column, sql_type in columns.items())
    con.execute(f"CREATE OR REPLACE TABLE {name} ({definition})")
    if not rows:
        return
    names = list(columns)
    lists = [[row[i] for row in rows] for i in range(len(names))]
    selects = ", ".join(f"unnest(${i + 1}::{columns[n]}[]) AS {n}" for i, n in enumerate(names))
    con.execute(f"INSERT INTO {name} SELECT {selects}", lists)


@cache
def former_codes() -> dict[str, str]:
    """Former INSEE codes of communes (`anciensCodes` of the COG the territories were loaded from) -> code."""
    from essor.territories.sources import DATA_DIR, locate_sources, read_bytes

    path = locate_sources(DATA_DIR).decoupage["communes"]
    result: dict[str, str] = {}
    for row in json.loads(read_bytes(path)):
        for former in row.get("anciensCodes") or []:
            result.setdefault(former, row["code"])
    return result


def commune_rows() -> list[tuple]:
    """(code, commune_code, arrondissement_code, epci_code, departement_code, region_code, metric_epsg, former):
    every code SIRENE may use, former codes of merged communes included (mapped to today's commune)."""
    communes = {
        row["code"]: row
        for row in Commune.objects.values(
            "code", "kind", "parent_id", "epci_id", "departement_id", "region_id"
        )
    }
    rows = []
    for code, row in communes.items():
        target = communes.get(row["parent_id"]) if row["parent_id"] else row
        target = target or row
        arrondissement = code if row["kind"] == CommuneKind.ARRONDISSEMENT else ""
        departement = target["departement_id"] or row["departement_id"] or ""
        rows.append(
            (
                code,
                target["code"],
                arrondissement,
                target["epci_id"] or "",
                departement,
                target["region_id"] or row["region_id"] or "",
                metric_epsg(departement),
                False,
            )
        )
    current = {row[0]: row for row in rows}
    for former, code in former_codes().items():
        if former not in current and code in current:
            rows.append((former, *current[code][1:7], True))
    return rows


def qpv_indexes() -> dict[int, QpvIndex]:
    indexes = {}
    for generation in (QpvGeneration.QPV_2024, QpvGeneration.QPV_2015):
        rows = Qpv.objects.filter(generation=generation).values_list("code", "departement_id", "geometry")
        indexes[int(generation)] = QpvIndex((code, dep, bytes(wkb)) for code, dep, wkb in rows.iterator())
    return indexes


# A place is one (commune, arrondissement, EPCI, département, région) as the counts see it, with its metric
# system. The 18 M rows of the pipeline's large tables (etab, result) carry its number instead of the five codes,
# which are joined back from ref_place where they are needed: the codes' width made those tables spill to disk
# nationally (docs/adr/020-the-floor-ratio-and-the-work-the-ingest-must-do.md).
PLACE_COLUMNS = {
    "place": "INTEGER",
    "commune_code": "VARCHAR",
    "arrondissement_code": "VARCHAR",
    "epci_code": "VARCHAR",
    "departement_code": "VARCHAR",
    "region_code": "VARCHAR",
    "metric_epsg": "INTEGER",
}


def _places(communes: list[tuple]) -> dict[tuple, int]:
    """Each distinct place of commune_rows(), numbered in code order (a former code shares its commune's)."""
    return {place: number for number, place in enumerate(sorted({row[1:7] for row in communes}))}


def code_places(communes: list[tuple]) -> list[tuple]:
    """(code, former, place) for each row of commune_rows()."""
    places = _places(communes)
    return [(row[0], row[7], places[row[1:7]]) for row in communes]


def place_rows(communes: list[tuple]) -> list[tuple]:
    return [(number, *place) for place, number in _places(communes).items()]


def load(con: duckdb.DuckDBPyConnection, indexes: dict[int, QpvIndex]) -> None:
    communes = commune_rows()
    # Every code SIRENE may use -> its place (a former code of a merged commune: its commune's, flagged).
    _create(
        con,
        "ref_commune",
        {"code": "VARCHAR", "former": "BOOLEAN", "place": "INTEGER"},
        code_places(communes),
    )
    _create(con, "ref_place", PLACE_COLUMNS, place_rows(communes))
    _create(con, "ref_family", {"code": "VARCHAR", "family": "VARCHAR"}, list(rules.family_table().items()))
    _create(con, "ref_cj", {"code": "VARCHAR"}, [(code,) for code in sorted(rules.legal_categories())])
    _create(
        con,
        "ref_sector",
        {"nomenclature": "VARCHAR", "code": "VARCHAR", "division": "VARCHAR", "section": "VARCHAR"},
        naf.sector_rows(),
    )
    _create(
        con,
        "ref_band",
        {"code": "VARCHAR", "low": "INTEGER", "high": "INTEGER", "employer": "BOOLEAN"},
        [(b.code, b.low, b.high, b.employer) for b in rules.bands().values()],
    )
    qpv_rows = [
        (code, generation, i) for generation, index in indexes.items() for i, code in enumerate(index.codes)
    ]
    _create(con, "ref_qpv", {"code": "VARCHAR", "generation": "INTEGER", "idx": "INTEGER"}, qpv_rows)
    # 2015 contours exist only for some départements (the vendored Occitanie sample): elsewhere a point cannot be
    # said to lie outside every 2015 QPV, so its 2015 attribution stays "none" rather than "computed".
    covered_2015 = (
        Qpv.objects.filter(generation=QpvGeneration.QPV_2015)
        .exclude(departement=None)
        .order_by("departement_id")
        .values_list("departement_id", flat=True)
        .distinct()
    )
    _create(con, "ref_qpv15_departement", {"departement_code": "VARCHAR"}, [(code,) for code in covered_2015])
    cells = [cell for index in indexes.values() for cell in index.cells()]
    _create(con, "ref_cell", {"epsg": "INTEGER", "cx": "BIGINT", "cy": "BIGINT"}, sorted(set(cells)))
