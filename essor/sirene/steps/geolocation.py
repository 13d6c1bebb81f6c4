"""Step 4: where each kept establishment is, and what INSEE says about its QPV.

Sources, in order: the geolocation file (x/y in the row's EPSG, else longitude/latitude), then the stock's
`coordonneeLambert…` columns for establishments absent from that file (Mayotte is never in it), read in the
official projection of the establishment's territory (essor.territories.geometry.METRIC_EPSG: Lambert-93 in
mainland France, RGM04 / UTM 38S = EPSG:4471 in Mayotte...). A coordinate that is not a finite number, `[ND]`,
blank or (0, 0) is no coordinate: counted, sampled, and the row is "not located" unless another source has one.
`plg_qp24`/`plg_qp15`: a known QPV code is INSEE's answer; HZ and CSZ mean "not in a QPV"; a blank, whitespace,
`[ND]`, an unknown QPV code or any other value is no answer (computed from the coordinates when there are some).
"""

from __future__ import annotations

from essor.sirene import columns as column_rules
from essor.sirene import formats
from essor.sirene.steps.sql import OUTSIDE_MARKERS, SAMPLE_SIZE, identifier, literal_list

NO_GEOLOCATION = (
    "(SELECT NULL::VARCHAR AS siret, NULL::VARCHAR AS x, NULL::VARCHAR AS y, NULL::VARCHAR AS epsg, "
    "NULL::VARCHAR AS plg_qp24, NULL::VARCHAR AS plg_qp15, NULL::VARCHAR AS x_longitude, "
    "NULL::VARCHAR AS y_latitude WHERE false)"
)
OUTSIDE = literal_list(OUTSIDE_MARKERS)


RAW = ("x", "y", "epsg", "plg_qp24", "plg_qp15", "x_longitude", "y_latitude")


def run(p) -> None:
    item = p.inputs.get(formats.GEOLOCALISATION)
    source = NO_GEOLOCATION if item is None else formats.typed_source(item)
    # The columns keep their stored types (FLOAT coordinates in INSEE's Parquet) until after the join: only the
    # lines of kept establishments are converted to text, as every input is read (formats.text_sql).
    columns = ", ".join(identifier(c) for c in RAW)
    raw = f"(SELECT siret_number({formats.text_sql(item, 'siret')}) AS siret_n, {columns} FROM {source})"  # noqa: S608 - code constants
    values = {c: formats.text_sql(item, c, f"r.{identifier(c)}") for c in RAW}
    floats = {c for c in RAW if item and column_rules.base_type(item.types.get(c, "")) in column_rules.FLOATS}
    # A FLOAT or DOUBLE column holds no blank nor [ND]: known() is "not NULL", coordinate() "finite", and the
    # value is still read through its text (the float's shortest decimal form), as for a text column.
    for c in floats:
        ref = f"r.{identifier(c)}"
        values[f"coordinate:{c}"] = f"CASE WHEN isfinite({ref}) THEN CAST({values[c]} AS DOUBLE) END"
        values[f"known:{c}"] = f"({ref} IS NOT NULL)"
    for c in set(RAW) - floats:
        values[f"coordinate:{c}"] = f"coordinate({values[c]})"
        values[f"known:{c}"] = f"known({values[c]})"
    kept = p.scalar("SELECT count(*) FROM etab WHERE reject_reason IS NULL")
    # The file is joined to the kept establishments once; a SIRET twice in the file shows as more rows than kept
    # establishments, and only then is the file read again to keep its first line (no row may be counted twice).
    p.con.execute(f"CREATE TABLE located AS {_located(raw, values)}")
    if p.scalar("SELECT count(*) FROM located") != kept:
        p.con.execute("DROP TABLE located")
        p.con.execute(f"""
            CREATE TABLE geo AS SELECT siret_n, {columns} FROM {raw}
            WHERE siret_n IN (SELECT siret_n FROM etab WHERE reject_reason IS NULL)
        """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
        p.con.execute("""
            DELETE FROM geo WHERE rowid IN (
                SELECT rid FROM (
                    SELECT rowid AS rid, row_number() OVER (PARTITION BY siret_n ORDER BY rowid) AS n FROM geo
                    WHERE siret_n IN (SELECT siret_n FROM geo GROUP BY siret_n HAVING count(*) > 1)
                ) WHERE n > 1)
        """)
        p.con.execute(f"CREATE TABLE located AS {_located('geo', values)}")
        p.con.execute("DROP TABLE geo")
    _report(p)


def _located(geo: str, v: dict[str, str]) -> str:
    """Each kept establishment with its place: `geo` holds the geolocation file's columns RAW, one line per
    SIRET, `v` their text expressions; the values are parsed after the join, only for kept establishments."""
    return f"""
        WITH e AS (
            SELECT siret_n, c.metric_epsg, stock_x, stock_y,
                   stock_x IS NOT NULL AND stock_y IS NOT NULL AND NOT (stock_x = 0 AND stock_y = 0) AS stock_ok
            FROM etab JOIN ref_place c USING (place) WHERE reject_reason IS NULL
        ), parsed AS (
            SELECT e.*, r.siret_n IS NOT NULL AS matched,
                   {v["coordinate:x"]} AS x, {v["coordinate:y"]} AS y,
                   TRY_CAST(TRY_CAST(trim({v["epsg"]}) AS DOUBLE) AS INTEGER) AS g_epsg,
                   clean({v["plg_qp24"]}) AS plg_qp24, clean({v["plg_qp15"]}) AS plg_qp15,
                   {v["coordinate:x_longitude"]} AS g_lon, {v["coordinate:y_latitude"]} AS g_lat,
                   {v["known:x"]} OR {v["known:y"]} OR {v["known:x_longitude"]} OR {v["known:y_latitude"]}
                       AS has_raw
            FROM e LEFT JOIN {geo} r ON r.siret_n = e.siret_n
        ), g AS (
            SELECT *,
                   coalesce(x IS NOT NULL AND y IS NOT NULL AND g_epsg IS NOT NULL AND NOT (x = 0 AND y = 0), false)
                       AS xy_ok,
                   coalesce(g_lon BETWEEN -180 AND 180 AND g_lat BETWEEN -90 AND 90 AND NOT (g_lon = 0 AND g_lat = 0),
                            false) AS lonlat_ok
            FROM parsed
        )
        SELECT g.siret_n, g.metric_epsg,
               CASE WHEN g.xy_ok THEN g.x WHEN NOT g.lonlat_ok AND g.stock_ok THEN g.stock_x END AS x,
               CASE WHEN g.xy_ok THEN g.y WHEN NOT g.lonlat_ok AND g.stock_ok THEN g.stock_y END AS y,
               CASE WHEN g.xy_ok THEN g.g_epsg WHEN NOT g.lonlat_ok AND g.stock_ok THEN g.metric_epsg END AS epsg,
               CASE WHEN g.lonlat_ok THEN g.g_lon END AS lon, CASE WHEN g.lonlat_ok THEN g.g_lat END AS lat,
               CAST(CASE WHEN g.xy_ok OR g.lonlat_ok THEN 'geolocation' WHEN g.stock_ok THEN 'stock' ELSE 'none' END
                    AS location_t) AS location_source,
               g.matched,
               coalesce(g.has_raw AND NOT g.xy_ok AND NOT g.lonlat_ok, false) AS unusable,
               q24.code AS insee24, q15.code AS insee15,
               coalesce(g.plg_qp24 IN ({OUTSIDE}), false) AS outside24,
               coalesce(g.plg_qp15 IN ({OUTSIDE}), false) AS outside15,
               coalesce(q24.code IS NULL AND qpv_shaped(g.plg_qp24), false) AS unknown24,
               coalesce(q15.code IS NULL AND qpv_shaped(g.plg_qp15), false) AS unknown15,
               coalesce(q24.code IS NULL AND known(g.plg_qp24) AND NOT qpv_shaped(g.plg_qp24)
                        AND g.plg_qp24 NOT IN ({OUTSIDE}), false) AS odd24
        FROM g
        LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2024) q24 ON q24.code = g.plg_qp24
        LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2015) q15 ON q15.code = g.plg_qp15
    """  # noqa: S608 - code constants and sql.literal()/formats-quoted values


def _report(p) -> None:
    row = p.con.execute("""
        SELECT count(*) FILTER (matched), count(*) FILTER (NOT matched),
               count(*) FILTER (x IS NOT NULL OR lon IS NOT NULL), count(*) FILTER (unknown24),
               count(*) FILTER (unknown15), count(*) FILTER (odd24), count(*) FILTER (unusable)
        FROM located
    """).fetchone()
    keys = ("matched", "unmatched", "with_coordinates", "unknown_qpv24_codes", "unknown_qpv15_codes",
            "unrecognised_qpv24_values", "unusable_coordinates")  # fmt: skip
    report = p.result.report
    report["geolocation"] = dict(zip(keys, (int(v) for v in row), strict=True))
    report["geolocation"]["unusable_sample_sirets"] = [
        s for (s,) in p.con.execute(
            f"SELECT e.siret FROM located l JOIN etab e USING (siret_n) WHERE l.unusable ORDER BY e.siret "  # noqa: S608 - code constants and sql.literal()/formats-quoted values
            f"LIMIT {SAMPLE_SIZE}"
        ).fetchall()
    ]  # fmt: skip
    report["locations_by_source"] = dict(
        p.con.execute("SELECT location_source, count(*) FROM located GROUP BY 1 ORDER BY 1").fetchall()
    )
