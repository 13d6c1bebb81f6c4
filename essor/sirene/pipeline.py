"""The SIRENE ingestion: three INSEE files -> the tables of one release, every heavy step in DuckDB.

Steps (each timed, each in `report`):
1. stage: check the inputs; CSV (and zipped CSV) is converted once to Parquet with only the needed columns;
2. units: the legal units that are ESS (flag 'O', or the statistical perimeter when the flag is empty);
3. establishments: active establishments joined to the ESS units; bad SIRET, duplicates and unknown communes
   set aside with their reason;
4. geolocation: the geolocation rows of the kept establishments, QPV codes given by INSEE;
5. geometry: point-in-polygon and the 300 m band, in Python (shapely) only for points that need it;
6. outputs: the ESS establishments and the counts by commune x zone x QPV x NAF division x family x employer.

Python never loops over rows in the hot path: DuckDB joins and aggregates, shapely works on numpy arrays.
"""

# SQL is assembled from code constants and quoted file paths (formats.sql_literal), never from user input.
# ruff: noqa: S608

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
from django.conf import settings

from essor.sirene import formats, reference, rules
from essor.sirene.qpv_attribution import CELL_METRES, NO_MATCH, WGS84, to_crs

SAMPLE_SIZE = 20
TOP_CODES = 30
FAMILIES_IN_FALLBACK = ", ".join(formats.sql_literal(f) for f in rules.FALLBACK_FAMILIES)


class Progress:
    """What the pipeline tells the person running it; the command plugs rich progress bars in."""

    def step(self, name: str, total: int | None = None) -> None: ...

    def set_total(self, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def done(self) -> None: ...


@dataclass
class PipelineResult:
    inputs: list[formats.InputFile]
    timings: dict[str, float] = field(default_factory=dict)
    report: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB bounded by settings.SIRENE_MEMORY_LIMIT that spills to the work directory."""
    spill = workdir / "spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"SET memory_limit = {formats.sql_literal(settings.SIRENE_MEMORY_LIMIT)}")
    con.execute(f"SET threads = {int(settings.SIRENE_THREADS)}")
    con.execute(f"SET temp_directory = {formats.sql_literal(spill)}")
    con.execute("SET preserve_insertion_order = true")
    # String functions dominate the cost of the scans: the common case (already "88.99B") is tested first and
    # regular expressions are avoided on the big tables (a regexp costs ~4x a TRY_CAST per row here).
    con.execute(
        "CREATE MACRO naf_norm(c) AS CASE WHEN c[3] = '.' THEN c WHEN length(c) = 5 "
        "THEN c[1:2] || '.' || c[3:] ELSE upper(trim(coalesce(c, ''))) END"
    )
    con.execute("CREATE MACRO siret_number(s) AS CASE WHEN length(s) = 14 THEN TRY_CAST(s AS UBIGINT) END")
    con.execute("CREATE MACRO qpv_shaped(p) AS starts_with(p, 'Q') AND length(p) = 8")
    return con


class Pipeline:
    def __init__(self, inputs: list[formats.InputFile], workdir: Path, progress: Progress | None = None):
        self.inputs = {item.role: item for item in inputs}
        self.workdir = workdir
        self.progress = progress or Progress()
        self.result = PipelineResult(inputs=inputs)
        self.con = connect(workdir)
        self.sources: dict[str, str] = {}

    @contextmanager
    def timed(self, name: str, total: int | None = None):
        self.progress.step(name, total)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.result.timings[name] = round(time.perf_counter() - start, 3)
            self.progress.done()

    def scalar(self, sql: str, params=None):
        return self.con.execute(sql, params or []).fetchone()[0]

    def run(self) -> PipelineResult:
        with self.timed("stage"):
            self.stage()
        with self.timed("reference"):
            self.indexes = reference.qpv_indexes()
            reference.load(self.con, self.indexes)
        with self.timed("units"):
            self.units()
        with self.timed("establishments"):
            self.establishments()
        with self.timed("geolocation"):
            self.geolocation()
        with self.timed("geometry"):
            self.geometry()
        with self.timed("outputs"):
            self.outputs()
        return self.result

    # 1. stage ---------------------------------------------------------------------------------------------
    def stage(self) -> None:
        report = self.result.report
        report["rows_read"], report["malformed_lines"] = {}, {}
        for role, item in self.inputs.items():
            formats.open_input(item, self.workdir)
            self.sources[role] = formats.stage(self.con, item, self.workdir, SAMPLE_SIZE)
            report["rows_read"][role] = item.rows
            report["malformed_lines"][role] = {"count": item.malformed_count, "sample": item.malformed}
        if formats.GEOLOCALISATION not in self.sources:
            # No geolocation file: every establishment is unlocated (zone hors_qpv, attribution 'none').
            self.sources[formats.GEOLOCALISATION] = (
                "(SELECT NULL::VARCHAR AS siret, NULL::VARCHAR AS x, NULL::VARCHAR AS y, NULL::VARCHAR AS epsg, "
                "NULL::VARCHAR AS plg_qp24, NULL::VARCHAR AS plg_qp15, NULL::VARCHAR AS x_longitude, "
                "NULL::VARCHAR AS y_latitude WHERE false)"
            )

    # 2. units ---------------------------------------------------------------------------------------------
    def units(self) -> None:
        src = self.sources[formats.UNITES_LEGALES]
        naf_excluded = self._naf_excluded_sql("u.naf")
        self.con.execute(f"""
            CREATE TABLE ess_units AS
            WITH u AS (
                SELECT trim(siren) AS siren, trim(coalesce(categorieJuridiqueUniteLegale, '')) AS cj,
                       upper(trim(coalesce(economieSocialeSolidaireUniteLegale, ''))) AS flag,
                       naf_norm(activitePrincipaleUniteLegale) AS naf,
                       coalesce(nullif(trim(denominationUniteLegale), ''), '') AS name
                FROM {src}
            )
            SELECT u.siren, u.cj, u.name,
                   CASE WHEN u.flag = 'O' THEN coalesce(nullif(f.family, ''), '{rules.OTHER_ESS_FAMILY}')
                        ELSE f.family END AS family,
                   CASE WHEN u.flag = 'O' THEN 'insee' ELSE 'fallback' END AS ess_source
            FROM u LEFT JOIN ref_family f ON f.code = u.cj
            WHERE u.flag = 'O' OR (u.flag = '' AND f.family IN ({FAMILIES_IN_FALLBACK}) AND NOT ({naf_excluded}))
            QUALIFY row_number() OVER (PARTITION BY u.siren ORDER BY u.flag DESC) = 1
        """)
        unknown = self.con.execute(f"""
            SELECT k, count(*) FROM (
                SELECT CASE WHEN cj IN (SELECT code FROM ref_cj) THEN NULL ELSE cj END AS k
                FROM (SELECT trim(coalesce(categorieJuridiqueUniteLegale, '')) AS cj FROM {src})
            ) WHERE k IS NOT NULL GROUP BY k ORDER BY 2 DESC, 1
        """).fetchall()
        self.result.report.setdefault("unknown_codes", {})["legal_category"] = _top_codes(unknown)

    def _naf_excluded_sql(self, column: str) -> str:
        divisions = ", ".join(formats.sql_literal(d) for d in rules.EXCLUDED_NAF_DIVISIONS)
        codes = ", ".join(formats.sql_literal(c) for c in rules.EXCLUDED_NAF_CODES)
        return f"(substr({column}, 1, 2) IN ({divisions}) OR {column} IN ({codes}))"

    # 3. establishments ------------------------------------------------------------------------------------
    def establishments(self) -> None:
        src = self.sources[formats.ETABLISSEMENTS]
        item = self.inputs[formats.ETABLISSEMENTS]
        repetition = (
            "indiceRepetitionEtablissement" if "indiceRepetitionEtablissement" in item.columns else "NULL"
        )
        self.con.execute(f"""
            CREATE TABLE etab AS
            SELECT
                e.siret, e.siren,
                e.siret_n,
                CASE WHEN e.siret_n IS NULL THEN 'bad_siret'
                     WHEN substr(e.siret, 1, 9) <> coalesce(e.siren, '') THEN 'siren_mismatch'
                     WHEN coalesce(e.commune, '') = '' THEN 'no_commune'
                     WHEN c.code IS NULL THEN 'unknown_commune' END AS reject_reason,
                e.commune AS commune_raw, c.commune_code, c.arrondissement_code, c.epci_code, c.departement_code,
                c.region_code, c.metric_epsg,
                naf_norm(e.naf) AS naf, coalesce(trim(e.band), '') AS band,
                u.siren IS NOT NULL AS is_ess, coalesce(u.family, '') AS family, u.ess_source, u.cj,
                CASE WHEN u.siren IS NOT NULL THEN coalesce(
                    nullif(trim(e.denominationUsuelleEtablissement), ''), nullif(trim(e.enseigne1Etablissement), ''),
                    nullif(u.name, ''), e.siret) END AS name,
                CASE WHEN u.siren IS NOT NULL THEN concat_ws(' ', nullif(trim(e.numeroVoieEtablissement), ''),
                    nullif(trim(e.indice), ''), nullif(trim(e.typeVoieEtablissement), ''),
                    nullif(trim(e.libelleVoieEtablissement), '')) END AS address,
                CASE WHEN u.siren IS NOT NULL THEN trim(e.codePostalEtablissement) END AS postcode,
                CASE WHEN u.siren IS NOT NULL THEN TRY_CAST(e.dateCreationEtablissement AS DATE) END AS created_on,
                upper(trim(coalesce(e.etablissementSiege, ''))) IN ('TRUE', 'T', 'O', '1') AS is_siege
            FROM (
                SELECT siret, siret_number(siret) AS siret_n, siren, trim(codeCommuneEtablissement) AS commune,
                       activitePrincipaleEtablissement AS naf, trancheEffectifsEtablissement AS band,
                       denominationUsuelleEtablissement, enseigne1Etablissement, numeroVoieEtablissement,
                       {repetition} AS indice, typeVoieEtablissement,
                       libelleVoieEtablissement, codePostalEtablissement, dateCreationEtablissement,
                       etablissementSiege
                FROM {src}
                WHERE etatAdministratifEtablissement = '{rules.ACTIVE}'
            ) e
            LEFT JOIN ess_units u ON u.siren = e.siren
            LEFT JOIN ref_commune c ON c.code = e.commune
        """)
        # Duplicate SIRET: the first line in file order is kept, the others are set aside.
        duplicates = self.scalar(
            "SELECT count(*) FROM (SELECT siret_n FROM etab WHERE reject_reason IS NULL "
            "GROUP BY siret_n HAVING count(*) > 1)"
        )
        if duplicates:
            self.con.execute("""
                UPDATE etab SET reject_reason = 'duplicate_siret' WHERE rowid IN (
                    SELECT rid FROM (
                        SELECT rowid AS rid, row_number() OVER (PARTITION BY siret_n ORDER BY rowid) AS n
                        FROM etab WHERE reject_reason IS NULL AND siret_n IN (
                            SELECT siret_n FROM etab WHERE reject_reason IS NULL
                            GROUP BY siret_n HAVING count(*) > 1)
                    ) WHERE n > 1)
            """)
        report = self.result.report
        report["active_establishments"] = self.scalar("SELECT count(*) FROM etab")
        by_reason = dict(
            self.con.execute(
                "SELECT reject_reason, count(*) FROM etab WHERE reject_reason IS NOT NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        sample = self.con.execute(
            "SELECT siret, siren, commune_raw, reject_reason FROM etab WHERE reject_reason IS NOT NULL "
            f"ORDER BY rowid LIMIT {SAMPLE_SIZE}"
        ).fetchall()
        report["rejected"] = {
            "count": sum(by_reason.values()),
            "by_reason": by_reason,
            "sample": [{"siret": s, "siren": n, "commune": c, "reason": r} for s, n, c, r in sample],
        }
        unknown = report.setdefault("unknown_codes", {})
        unknown["commune"] = _top_codes(
            self.con.execute(
                "SELECT commune_raw, count(*) FROM etab WHERE reject_reason = 'unknown_commune' "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        unknown["naf"] = _top_codes(
            self.con.execute(
                "SELECT naf, count(*) FROM etab WHERE reject_reason IS NULL "
                "AND naf NOT IN (SELECT code FROM ref_naf) GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )

    # 4. geolocation ---------------------------------------------------------------------------------------
    def geolocation(self) -> None:
        src = self.sources[formats.GEOLOCALISATION]
        self.con.execute(f"""
            CREATE TABLE geo AS
            SELECT siret_n, TRY_CAST(x AS DOUBLE) AS x, TRY_CAST(y AS DOUBLE) AS y,
                   TRY_CAST(TRY_CAST(epsg AS DOUBLE) AS INTEGER) AS epsg,
                   coalesce(plg_qp24, '') AS plg_qp24, coalesce(plg_qp15, '') AS plg_qp15,
                   TRY_CAST(x_longitude AS DOUBLE) AS lon, TRY_CAST(y_latitude AS DOUBLE) AS lat
            FROM (SELECT siret_number(siret) AS siret_n, * FROM {src})
            WHERE siret_n IN (SELECT siret_n FROM etab WHERE reject_reason IS NULL)
        """)
        # A SIRET twice in the geolocation file: the first line wins (no row may be counted twice).
        self.con.execute("""
            DELETE FROM geo WHERE rowid IN (
                SELECT rid FROM (
                    SELECT rowid AS rid, row_number() OVER (PARTITION BY siret_n ORDER BY rowid) AS n FROM geo
                    WHERE siret_n IN (SELECT siret_n FROM geo GROUP BY siret_n HAVING count(*) > 1)
                ) WHERE n > 1)
        """)
        self.con.execute("""
            CREATE TABLE located AS
            SELECT e.siret_n, e.metric_epsg,
                   CASE WHEN g.x IS NOT NULL AND g.y IS NOT NULL AND g.epsg IS NOT NULL
                        AND NOT (g.x = 0 AND g.y = 0) THEN g.x END AS x,
                   CASE WHEN g.x IS NOT NULL AND g.y IS NOT NULL AND g.epsg IS NOT NULL
                        AND NOT (g.x = 0 AND g.y = 0) THEN g.y END AS y,
                   g.epsg,
                   CASE WHEN g.lon BETWEEN -180 AND 180 AND g.lat BETWEEN -90 AND 90
                        AND NOT (g.lon = 0 AND g.lat = 0) THEN g.lon END AS lon,
                   CASE WHEN g.lon BETWEEN -180 AND 180 AND g.lat BETWEEN -90 AND 90
                        AND NOT (g.lon = 0 AND g.lat = 0) THEN g.lat END AS lat,
                   g.siret_n IS NOT NULL AS matched,
                   q24.code AS insee24, q15.code AS insee15,
                   coalesce(q24.code IS NULL AND g.plg_qp24 <> '' AND NOT qpv_shaped(g.plg_qp24), false) AS outside24,
                   coalesce(q15.code IS NULL AND g.plg_qp15 <> '' AND NOT qpv_shaped(g.plg_qp15), false) AS outside15,
                   coalesce(q24.code IS NULL AND qpv_shaped(g.plg_qp24), false) AS unknown24,
                   coalesce(q15.code IS NULL AND qpv_shaped(g.plg_qp15), false) AS unknown15
            FROM etab e
            LEFT JOIN geo g ON g.siret_n = e.siret_n
            LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2024) q24 ON q24.code = g.plg_qp24
            LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2015) q15 ON q15.code = g.plg_qp15
            WHERE e.reject_reason IS NULL
        """)
        self.con.execute("DROP TABLE geo")
        self.result.report["geolocation"] = dict(
            zip(
                ("matched", "unmatched", "with_coordinates", "unknown_qpv24_codes", "unknown_qpv15_codes"),
                self.con.execute(
                    "SELECT count(*) FILTER (matched), count(*) FILTER (NOT matched), "
                    "count(*) FILTER (x IS NOT NULL OR lon IS NOT NULL), count(*) FILTER (unknown24), "
                    "count(*) FILTER (unknown15) FROM located"
                ).fetchone(),
                strict=True,
            )
        )

    # 5. geometry ------------------------------------------------------------------------------------------
    def geometry(self) -> None:
        """Point-in-polygon (QPV 2024 and 2015 when INSEE gave no usable code) and the 300 m band, for the points
        in grid cells near a QPV; everything else is decided in SQL."""
        self.con.execute(
            "CREATE TABLE geo_result (siret_n UBIGINT, qpv24 INTEGER, qpv15 INTEGER, near24 INTEGER, "
            "lon DOUBLE, lat DOUBLE)"
        )
        cell = CELL_METRES
        candidates = self.con.execute(f"""
            SELECT siret_n, metric_epsg, coalesce(epsg, 0) AS epsg, coalesce(x, 'NaN'::DOUBLE) AS x,
                   coalesce(y, 'NaN'::DOUBLE) AS y, coalesce(lon, 'NaN'::DOUBLE) AS lon,
                   coalesce(lat, 'NaN'::DOUBLE) AS lat,
                   insee24 IS NULL AND NOT outside24 AS need24, insee15 IS NULL AND NOT outside15 AS need15
            FROM located l
            WHERE (x IS NOT NULL OR lon IS NOT NULL)
              AND (x IS NULL OR epsg <> metric_epsg OR EXISTS (
                    SELECT 1 FROM ref_cell c WHERE c.epsg = l.metric_epsg
                    AND c.cx = CAST(floor(l.x / {cell}) AS BIGINT) AND c.cy = CAST(floor(l.y / {cell}) AS BIGINT)))
            ORDER BY metric_epsg, epsg
        """).fetchnumpy()
        self.result.report["geometry_candidates"] = int(len(candidates["siret_n"]))
        groups = _groups(candidates["metric_epsg"], candidates["epsg"])
        self.progress.set_total(len(candidates["siret_n"]))
        index24, index15 = self.indexes[2024], self.indexes[2015]
        for target, source, rows in groups:
            x, y = _metric_coordinates(candidates, rows, int(source), int(target))
            need24, need15 = candidates["need24"][rows], candidates["need15"][rows]
            r24 = np.full(len(rows), NO_MATCH, dtype=np.int32)
            r15 = np.full(len(rows), NO_MATCH, dtype=np.int32)
            r24[need24] = index24.locate(int(target), x[need24], y[need24])
            r15[need15] = index15.locate(int(target), x[need15], y[need15])
            near = index24.nearest_within_band(int(target), x, y)
            keep = (r24 != NO_MATCH) | (r15 != NO_MATCH) | (near != NO_MATCH)
            if keep.any():
                self.con.execute(
                    "INSERT INTO geo_result SELECT unnest($1), unnest($2), unnest($3), unnest($4), NULL, NULL",
                    [candidates["siret_n"][rows][keep], r24[keep], r15[keep], near[keep]],
                )
            self.progress.advance(len(rows))
        self._wgs84_for_ess()

    def _wgs84_for_ess(self) -> None:
        """ESS establishments located only in a projected system get WGS84 coordinates for the maps."""
        rows = self.con.execute("""
            SELECT l.siret_n, l.epsg, l.x, l.y FROM located l JOIN etab e USING (siret_n)
            WHERE e.is_ess AND e.reject_reason IS NULL AND l.lon IS NULL AND l.x IS NOT NULL ORDER BY l.epsg
        """).fetchnumpy()
        for epsg in np.unique(rows["epsg"]):
            mask = rows["epsg"] == epsg
            lon, lat = to_crs(int(epsg), WGS84, rows["x"][mask], rows["y"][mask])
            self.con.execute(
                "INSERT INTO geo_result SELECT unnest($1), -1, -1, -1, unnest($2), unnest($3)",
                [rows["siret_n"][mask], lon, lat],
            )

    # 6. outputs -------------------------------------------------------------------------------------------
    def outputs(self) -> None:
        self.con.execute("""
            CREATE TABLE result AS
            WITH r AS (
                SELECT siret_n, max(qpv24) AS qpv24, max(qpv15) AS qpv15, max(near24) AS near24,
                       any_value(lon) AS lon, any_value(lat) AS lat
                FROM geo_result GROUP BY siret_n
            ), a AS (
                SELECT e.*, l.matched,
                       coalesce(l.insee24, q24.code, '') AS qpv24_code,
                       CASE WHEN l.insee24 IS NOT NULL OR l.outside24 THEN 'insee'
                            WHEN l.x IS NOT NULL OR l.lon IS NOT NULL THEN 'computed' ELSE 'none' END AS qpv24_source,
                       coalesce(l.insee15, q15.code, '') AS qpv15_code,
                       CASE WHEN l.insee15 IS NOT NULL OR l.outside15 THEN 'insee'
                            WHEN (l.x IS NOT NULL OR l.lon IS NOT NULL) AND e.departement_code IN
                                 (SELECT departement_code FROM ref_qpv15_departement) THEN 'computed'
                            ELSE 'none' END AS qpv15_source,
                       coalesce(n24.code, '') AS near_code,
                       coalesce(l.lon, r.lon) AS lon, coalesce(l.lat, r.lat) AS lat
                FROM etab e JOIN located l USING (siret_n)
                LEFT JOIN r USING (siret_n)
                LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2024) q24 ON q24.idx = r.qpv24
                LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2015) q15 ON q15.idx = r.qpv15
                LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2024) n24 ON n24.idx = r.near24
                WHERE e.reject_reason IS NULL
            )
            SELECT a.* EXCLUDE (near_code),
                   CASE WHEN qpv24_code <> '' THEN 'qpv' WHEN near_code <> '' THEN 'proximite'
                        ELSE 'hors_qpv' END AS zone,
                   CASE WHEN qpv24_code = '' THEN near_code ELSE '' END AS near_qpv24_code,
                   coalesce(n.division, '') AS naf_division,
                   coalesce(n.section, '') AS naf_section,
                   coalesce(b.employer, false) AS employer, coalesce(b.low, 0) AS employees_low,
                   CASE WHEN b.code IS NULL THEN 0 ELSE b.high END AS employees_high
            FROM a
            LEFT JOIN ref_naf n ON n.code = a.naf
            LEFT JOIN ref_band b ON b.code = a.band
        """)
        self.con.execute("DROP TABLE located; DROP TABLE geo_result")
        self.con.execute("""
            CREATE TABLE out_counts AS
            SELECT commune_code, arrondissement_code, epci_code, departement_code, region_code, zone, qpv24_code,
                   qpv15_code,
                   near_qpv24_code, naf_division, is_ess, family, employer,
                   count(*) AS establishments, sum(employees_low) AS employees_low,
                   sum(coalesce(employees_high, 0)) AS employees_high,
                   count(*) FILTER (employees_high IS NULL) AS unbounded
            FROM result GROUP BY ALL
            -- Hierarchical order: the secondary indexes (release, région / département / EPCI / commune / QPV) of
            -- the database table are then filled almost sequentially (writing 740 k rows: 33 s -> 20 s).
            ORDER BY region_code, departement_code, epci_code, commune_code, arrondissement_code, zone, qpv24_code,
                     qpv15_code, near_qpv24_code, naf_division, is_ess, family, employer
        """)
        self.con.execute("""
            CREATE TABLE out_ess AS
            SELECT siret, siren, name, family, coalesce(cj, '') AS legal_category, ess_source, naf, naf_division,
                   naf_section, band, employer, employees_low, employees_high, created_on, is_siege,
                   coalesce(address, '') AS address, coalesce(postcode, '') AS postcode, commune_code,
                   arrondissement_code, epci_code, departement_code, region_code, qpv24_code, qpv24_source,
                   qpv15_code, qpv15_source, near_qpv24_code, zone, lon, lat
            FROM result WHERE is_ess ORDER BY siret
        """)
        self._report_outputs()

    def _report_outputs(self) -> None:
        report, summary = self.result.report, self.result.summary
        attribution = {}
        for generation in ("24", "15"):
            rows = self.con.execute(
                f"SELECT qpv{generation}_source, count(*), count(*) FILTER (qpv{generation}_code <> '') "
                "FROM result GROUP BY 1"
            ).fetchall()
            attribution[f"20{generation}"] = {
                source: {"establishments": n, "in_qpv": inside} for source, n, inside in sorted(rows)
            }
        report["qpv_attribution"] = attribution
        ess = self.con.execute(
            "SELECT count(*), count(*) FILTER (ess_source = 'fallback'), count(*) FILTER (ess_source = 'insee') "
            "FROM out_ess"
        ).fetchone()
        report["ess"] = {"establishments": ess[0], "fallback": ess[1], "insee_flag": ess[2]}
        report["ess_units"] = dict(
            zip(
                ("units", "fallback"),
                self.con.execute(
                    "SELECT count(*), count(*) FILTER (ess_source = 'fallback') FROM ess_units"
                ).fetchone(),
                strict=True,
            )
        )
        totals = self.con.execute("""
            SELECT sum(establishments), sum(establishments) FILTER (is_ess), sum(establishments) FILTER (employer),
                   sum(establishments) FILTER (employer AND is_ess)
            FROM out_counts
        """).fetchone()
        summary.update(
            dict(
                zip(("active", "ess", "employer", "ess_employer"), (int(v or 0) for v in totals), strict=True)
            )
        )
        summary["ess_by_family"] = dict(
            self.con.execute(
                "SELECT family, sum(establishments)::BIGINT FROM out_counts WHERE is_ess GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        summary["by_zone"] = {
            zone: {"active": int(active), "ess": int(ess or 0)}
            for zone, active, ess in self.con.execute(
                "SELECT zone, sum(establishments), sum(establishments) FILTER (is_ess) FROM out_counts "
                "GROUP BY 1 ORDER BY 1"
            ).fetchall()
        }
        summary["count_rows"] = self.scalar("SELECT count(*) FROM out_counts")

    def close(self) -> None:
        self.con.close()


def _top_codes(rows: list[tuple]) -> dict:
    return {
        "count": int(sum(n for _, n in rows)),
        "distinct": len(rows),
        "top": [[code, int(n)] for code, n in rows[:TOP_CODES]],
    }


def _groups(targets: np.ndarray, sources: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Row indices grouped by (target metric system, row system); the arrays are sorted by both."""
    if len(targets) == 0:
        return []
    keys = targets.astype(np.int64) * 100_000 + sources.astype(np.int64)
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(keys)]))
    return [(int(targets[s]), int(sources[s]), np.arange(s, e)) for s, e in zip(starts, ends, strict=True)]


def _metric_coordinates(candidates: dict, rows: np.ndarray, source: int, target: int):
    """Coordinates of the rows in the target metric system: x/y in the row's EPSG when usable, else WGS84."""
    x, y = candidates["x"][rows], candidates["y"][rows]
    has_xy = np.isfinite(x) & np.isfinite(y)
    out_x, out_y = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    if has_xy.any() and source:
        out_x[has_xy], out_y[has_xy] = to_crs(source, target, x[has_xy], y[has_xy])
    missing = ~np.isfinite(out_x)
    if missing.any():
        lon, lat = candidates["lon"][rows][missing], candidates["lat"][rows][missing]
        out_x[missing], out_y[missing] = to_crs(WGS84, target, lon, lat)
    return out_x, out_y


def run_pipeline(
    inputs: list[formats.InputFile], workdir: Path, progress: Progress | None = None
) -> Pipeline:
    """Run every step; the caller writes the outputs (`out_ess`, `out_counts`) then closes the pipeline."""
    pipeline = Pipeline(inputs, workdir, progress)
    pipeline.run()
    return pipeline
