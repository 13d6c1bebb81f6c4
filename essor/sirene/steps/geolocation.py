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

from essor.sirene import formats
from essor.sirene.steps.sql import OUTSIDE_MARKERS, SAMPLE_SIZE, literal_list

NO_GEOLOCATION = (
    "(SELECT NULL::VARCHAR AS siret, NULL::VARCHAR AS x, NULL::VARCHAR AS y, NULL::VARCHAR AS epsg, "
    "NULL::VARCHAR AS plg_qp24, NULL::VARCHAR AS plg_qp15, NULL::VARCHAR AS x_longitude, "
    "NULL::VARCHAR AS y_latitude WHERE false)"
)
OUTSIDE = literal_list(OUTSIDE_MARKERS)


def run(p) -> None:
    src = p.sources.get(formats.GEOLOCALISATION, NO_GEOLOCATION)
    p.con.execute(f"""
        CREATE TABLE geo AS
        SELECT siret_n, coordinate(x) AS x, coordinate(y) AS y, TRY_CAST(TRY_CAST(trim(epsg) AS DOUBLE) AS INTEGER) AS epsg,
               clean(plg_qp24) AS plg_qp24, clean(plg_qp15) AS plg_qp15,
               coordinate(x_longitude) AS lon, coordinate(y_latitude) AS lat,
               known(x) OR known(y) OR known(x_longitude) OR known(y_latitude) AS has_raw
        FROM (SELECT siret_number(siret) AS siret_n, * FROM {src})
        WHERE siret_n IN (SELECT siret_n FROM etab WHERE reject_reason IS NULL)
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    # A SIRET twice in the geolocation file: the first line wins (no row may be counted twice).
    p.con.execute("""
        DELETE FROM geo WHERE rowid IN (
            SELECT rid FROM (
                SELECT rowid AS rid, row_number() OVER (PARTITION BY siret_n ORDER BY rowid) AS n FROM geo
                WHERE siret_n IN (SELECT siret_n FROM geo GROUP BY siret_n HAVING count(*) > 1)
            ) WHERE n > 1)
    """)
    p.con.execute(f"""
        CREATE TABLE located AS
        WITH g AS (
            SELECT *,
                   coalesce(x IS NOT NULL AND y IS NOT NULL AND epsg IS NOT NULL AND NOT (x = 0 AND y = 0), false)
                       AS xy_ok,
                   coalesce(lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90 AND NOT (lon = 0 AND lat = 0), false)
                       AS lonlat_ok
            FROM geo
        ), e AS (
            SELECT siret_n, metric_epsg, stock_x, stock_y,
                   stock_x IS NOT NULL AND stock_y IS NOT NULL AND NOT (stock_x = 0 AND stock_y = 0) AS stock_ok
            FROM etab WHERE reject_reason IS NULL
        )
        SELECT e.siret_n, e.metric_epsg,
               CASE WHEN g.xy_ok THEN g.x WHEN NOT coalesce(g.lonlat_ok, false) AND e.stock_ok THEN e.stock_x END AS x,
               CASE WHEN g.xy_ok THEN g.y WHEN NOT coalesce(g.lonlat_ok, false) AND e.stock_ok THEN e.stock_y END AS y,
               CASE WHEN g.xy_ok THEN g.epsg WHEN NOT coalesce(g.lonlat_ok, false) AND e.stock_ok
                    THEN e.metric_epsg END AS epsg,
               CASE WHEN g.lonlat_ok THEN g.lon END AS lon, CASE WHEN g.lonlat_ok THEN g.lat END AS lat,
               CASE WHEN g.xy_ok OR g.lonlat_ok THEN 'geolocation' WHEN e.stock_ok THEN 'stock' ELSE 'none' END
                   AS location_source,
               g.siret_n IS NOT NULL AS matched,
               coalesce(g.has_raw AND NOT g.xy_ok AND NOT g.lonlat_ok, false) AS unusable,
               q24.code AS insee24, q15.code AS insee15,
               coalesce(g.plg_qp24 IN ({OUTSIDE}), false) AS outside24,
               coalesce(g.plg_qp15 IN ({OUTSIDE}), false) AS outside15,
               coalesce(q24.code IS NULL AND qpv_shaped(g.plg_qp24), false) AS unknown24,
               coalesce(q15.code IS NULL AND qpv_shaped(g.plg_qp15), false) AS unknown15,
               coalesce(q24.code IS NULL AND known(g.plg_qp24) AND NOT qpv_shaped(g.plg_qp24)
                        AND g.plg_qp24 NOT IN ({OUTSIDE}), false) AS odd24
        FROM e
        LEFT JOIN g ON g.siret_n = e.siret_n
        LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2024) q24 ON q24.code = g.plg_qp24
        LEFT JOIN (SELECT code FROM ref_qpv WHERE generation = 2015) q15 ON q15.code = g.plg_qp15
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    p.con.execute("DROP TABLE geo")
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
