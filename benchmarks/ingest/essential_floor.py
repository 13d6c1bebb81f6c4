"""The work no SIRENE ingest can skip, timed alone on the same files: how close to the scan floor an ingest can get.

    .venv/bin/python benchmarks/ingest/essential_floor.py --files WORKDIR/files-1-parquet [--threads 2]

The scan floor of benchmarks/ingest/run.py reads each input once and computes nothing. Any ingest also has to
1. join the active establishments to their legal unit (is it ESS?) and to their geolocation line, and count them
   by commune x QPV x sector x ESS x size band (one DuckDB query, INSEE's QPV code standing for the
   point-in-polygon that the real pipeline only runs near QPVs);
2. keep the ESS establishments with their name and address for the directory (a second, filtered query);
3. write those rows into the database (SQLite, one table without any index, one transaction);
4. the quality report's checks that need every key of a file, in their leanest form (SIRENs twice in the units
   file, SIRETs twice among the active establishments, active establishments without a legal unit: one query
   each), because the release gate and the public quality report stand on them.
Each is timed (wall and CPU seconds of this process, DuckDB's threads included) next to the scan floor measured in
the same run, with the same DuckDB threads and memory limit as the ingest. Nothing here checks, reports, rejects
or publishes anything: it is a lower bound, not an ingest.
"""

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROLES, machine, scan_floor  # noqa: E402 - also sets up Django, as the ingest would

from essor.sirene import rules  # noqa: E402

COUNT = """
CREATE TABLE counts AS
WITH ess_units AS (
    SELECT siren FROM read_parquet({unites_legales})
    WHERE {ess_unit}
), etab AS (
    SELECT CAST(siret AS VARCHAR) AS siret, CAST(siren AS VARCHAR) AS siren,
           CAST(codeCommuneEtablissement AS VARCHAR) AS commune,
           left(CAST(activitePrincipaleEtablissement AS VARCHAR), 2) AS division,
           CAST(trancheEffectifsEtablissement AS VARCHAR) AS band
    FROM read_parquet({etablissements}) WHERE CAST(etatAdministratifEtablissement AS VARCHAR) = 'A'
)
SELECT e.commune, coalesce(CAST(g.plg_qp24 AS VARCHAR), '') AS qpv, e.division, u.siren IS NOT NULL AS is_ess,
       e.band, count(*) AS establishments, count(g.x) AS located
FROM etab e LEFT JOIN ess_units u USING (siren)
LEFT JOIN read_parquet({geolocalisation}) g ON CAST(g.siret AS VARCHAR) = e.siret
GROUP BY ALL
"""
ESS_ROWS = """
CREATE TABLE ess AS
SELECT CAST(e.siret AS VARCHAR) AS siret, CAST(e.denominationUsuelleEtablissement AS VARCHAR) AS name,
       concat_ws(' ', CAST(e.numeroVoieEtablissement AS VARCHAR), CAST(e.typeVoieEtablissement AS VARCHAR),
                 CAST(e.libelleVoieEtablissement AS VARCHAR)) AS address,
       CAST(e.codePostalEtablissement AS VARCHAR) AS postcode, CAST(e.codeCommuneEtablissement AS VARCHAR) AS commune,
       CAST(e.activitePrincipaleEtablissement AS VARCHAR) AS naf, CAST(g.plg_qp24 AS VARCHAR) AS qpv,
       g.x_longitude AS lon, g.y_latitude AS lat
FROM read_parquet({etablissements}) e
SEMI JOIN (SELECT siren FROM read_parquet({unites_legales})
           WHERE {ess_unit}) u
     ON CAST(e.siren AS VARCHAR) = u.siren
LEFT JOIN read_parquet({geolocalisation}) g ON CAST(g.siret AS VARCHAR) = CAST(e.siret AS VARCHAR)
WHERE CAST(e.etatAdministratifEtablissement AS VARCHAR) = 'A'
"""


# Step 4: each check reads its file again (one aggregate or anti-join each), as the leanest query for it would.
KEY_CHECKS = """
SELECT
    (SELECT count(*) FROM (SELECT CAST(siren AS VARCHAR) AS siren FROM read_parquet({unites_legales})
                           GROUP BY 1 HAVING count(*) > 1)) AS duplicate_sirens,
    (SELECT count(*) FROM (SELECT CAST(siret AS VARCHAR) AS siret FROM read_parquet({etablissements})
                           WHERE CAST(etatAdministratifEtablissement AS VARCHAR) = 'A'
                           GROUP BY 1 HAVING count(*) > 1)) AS duplicate_sirets,
    (SELECT count(*) FROM read_parquet({etablissements}) e
     ANTI JOIN read_parquet({unites_legales}) u ON CAST(u.siren AS VARCHAR) = CAST(e.siren AS VARCHAR)
     WHERE CAST(e.etatAdministratifEtablissement AS VARCHAR) = 'A') AS without_unit
"""


def ess_unit_sql() -> str:
    """The ESS rule of essor.sirene.rules, shortened: INSEE's flag, else a legal form of the four families."""
    forms = sorted(code for code, family in rules.family_table().items() if family in rules.FALLBACK_FAMILIES)
    listed = ", ".join(f"'{code}'" for code in forms)
    return (
        "(CAST(economieSocialeSolidaireUniteLegale AS VARCHAR) = 'O' OR "
        "(coalesce(CAST(economieSocialeSolidaireUniteLegale AS VARCHAR), '') = '' AND "
        f"CAST(categorieJuridiqueUniteLegale AS VARCHAR) IN ({listed})))"
    )


def timed(label: str, results: dict, action) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    action()
    results[label] = {"seconds": round(time.perf_counter() - started, 2),
                      "cpu_seconds": round(time.process_time() - cpu, 2)}  # fmt: skip
    print(f"  {label}: {results[label]}", flush=True)


def totals(steps) -> tuple[float, float]:
    """Wall and CPU seconds of these timed steps, added up."""
    steps = list(steps)
    return (round(sum(step["seconds"] for step in steps), 2),
            round(sum(step["cpu_seconds"] for step in steps), 2))  # fmt: skip


def write_sqlite(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ess (siret TEXT, name TEXT, address TEXT, postcode TEXT, commune TEXT, naf TEXT, "
               "qpv TEXT, lon REAL, lat REAL)")  # fmt: skip
    cursor = con.execute("SELECT * FROM ess")
    with db:
        while rows := cursor.fetchmany(100_000):
            db.executemany("INSERT INTO ess VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--files", type=Path, required=True, help="a folder of the three Parquet files (run.py's)"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--memory-limit", default="4GB")
    args = parser.parse_args()
    files = {role: args.files / f"{name}.parquet" for role, name in ROLES.items()}
    info = {"machine": machine(), "files": str(args.files), "threads": args.threads}
    info["scan_floor"] = scan_floor(files, "parquet", args.threads)
    print(f"  scan floor: {info['scan_floor']}", flush=True)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    with tempfile.TemporaryDirectory(dir=args.files) as scratch:
        con.execute(f"SET temp_directory = '{scratch}'")
        paths = {role: f"'{path}'" for role, path in files.items()}
        paths["ess_unit"] = ess_unit_sql()
        steps: dict = {}
        timed("join_and_count", steps, lambda: con.execute(COUNT.format(**paths)))
        timed("ess_rows", steps, lambda: con.execute(ESS_ROWS.format(**paths)))
        timed("sqlite_write", steps, lambda: write_sqlite(con, Path(scratch) / "ess.sqlite3"))
        checks: list = []
        timed("key_checks", steps, lambda: checks.extend(con.execute(KEY_CHECKS.format(**paths)).fetchone()))
        info["checks"] = dict(
            zip(("duplicate_sirens", "duplicate_sirets", "without_unit"), checks, strict=True)
        )
        info["rows"] = {"count_rows": con.execute("SELECT count(*) FROM counts").fetchone()[0],
                        "ess_rows": con.execute("SELECT count(*) FROM ess").fetchone()[0]}  # fmt: skip
    info["steps"] = steps
    wall, cpu = totals(steps.values())
    floor = info["scan_floor"]
    without_checks = totals(step for name, step in steps.items() if name != "key_checks")
    info["essential_without_checks"] = {"seconds": without_checks[0], "cpu_seconds": without_checks[1]}
    info["essential"] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                         "ratio_to_scan_floor": round(wall / floor["total"], 2),
                         "cpu_ratio_to_scan_floor": round(cpu / floor["cpu_seconds"], 2)}  # fmt: skip
    print(f"  essential work: {info['essential']} ({info['rows']})")
    out = args.files.parent / f"essential-{args.files.name}.json"
    out.write_text(json.dumps(info, indent=2))
    print(f"  saved {out}")


if __name__ == "__main__":
    main()
