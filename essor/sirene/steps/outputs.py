"""Step 6: the release's two tables and the report's headline.

`out_counts`: every kept active establishment (ESS or not) counted by commune x arrondissement x zone x QPV 2024 x
QPV 2015 x nearest QPV x NAF rév. 2 division x family x employer, with employee bounds. `out_ess`: the ESS
establishments for the directory; partially diffusible ones and those of entrepreneurs individuels (`private`)
carry no name, address, postcode nor coordinates: only their commune, codes and figures are published.
"""

from __future__ import annotations

# The columns every kept row needs (the count table and the report); the ESS rows are joined again with every
# detail column for the directory, so the 10x more numerous other rows never carry names, addresses, dates.
# The rows carry their place (reference.PLACE_COLUMNS), whose codes are joined after the aggregation.
COUNTED = (
    "place, zone, qpv24_code, qpv24_source, "
    "qpv15_code, qpv15_source, near_qpv24_code, naf_division, nomenclature, is_ess, family, employer, "
    "employees_low, employees_high"
)


def _rows(columns: str, where: str = "", detail: bool = False) -> str:
    """The kept establishments with their place, QPV, sector and size band (`where` narrows the rows);
    `detail`: with the name, address and postcode of the ESS ones (establishments' etab_detail)."""
    return f"""
        WITH r AS (
            SELECT siret_n, max(qpv24) AS qpv24, max(qpv15) AS qpv15, max(near24) AS near24,
                   any_value(lon) AS lon, any_value(lat) AS lat
            FROM geo_result GROUP BY siret_n
        ), a AS (
            SELECT e.*, c.commune_code, c.arrondissement_code, c.epci_code, c.departement_code, c.region_code,
                   l.matched, l.location_source,
                   coalesce(l.insee24, q24.code, '') AS qpv24_code,
                   CAST(CASE WHEN l.insee24 IS NOT NULL OR l.outside24 THEN 'insee'
                             WHEN l.x IS NOT NULL OR l.lon IS NOT NULL THEN 'computed' ELSE 'none' END
                        AS attribution_t) AS qpv24_source,
                   coalesce(l.insee15, q15.code, '') AS qpv15_code,
                   CAST(CASE WHEN l.insee15 IS NOT NULL OR l.outside15 THEN 'insee'
                             WHEN (l.x IS NOT NULL OR l.lon IS NOT NULL) AND c.departement_code IN
                                  (SELECT departement_code FROM ref_qpv15_departement) THEN 'computed'
                             ELSE 'none' END AS attribution_t) AS qpv15_source,
                   coalesce(n24.code, '') AS near_code,
                   coalesce(l.lon, r.lon) AS lon, coalesce(l.lat, r.lat) AS lat
                   {", d.name, d.address, d.postcode" if detail else ""}
            FROM etab e JOIN located l USING (siret_n) JOIN ref_place c USING (place)
            {"LEFT JOIN etab_detail d ON d.file_row = e.file_row" if detail else ""}
            LEFT JOIN r USING (siret_n)
            LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2024) q24 ON q24.idx = r.qpv24
            LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2015) q15 ON q15.idx = r.qpv15
            LEFT JOIN (SELECT code, idx FROM ref_qpv WHERE generation = 2024) n24 ON n24.idx = r.near24
            WHERE e.reject_reason IS NULL {where}
        ), b AS (
            SELECT a.* EXCLUDE (near_code),
                   CAST(CASE WHEN qpv24_code <> '' THEN 'qpv' WHEN near_code <> '' THEN 'proximite'
                             ELSE 'hors_qpv' END AS zone_t) AS zone,
                   CASE WHEN qpv24_code = '' THEN near_code ELSE '' END AS near_qpv24_code,
                   coalesce(s.division, '') AS naf_division,
                   coalesce(s.section, '') AS naf_section,
                   coalesce(b.employer, false) AS employer, coalesce(b.low, 0) AS employees_low,
                   CASE WHEN b.code IS NULL THEN 0 ELSE b.high END AS employees_high
            FROM a
            -- Sector figures in NAF rév. 2 divisions whatever the row's nomenclature (docs/adr/004).
            LEFT JOIN ref_sector s ON s.nomenclature = CAST(a.nomenclature AS VARCHAR) AND s.code = a.naf
            LEFT JOIN ref_band b ON b.code = a.band
        )
        SELECT {columns} FROM b
    """  # noqa: S608 - code constants


def run(p) -> None:
    p.con.execute(f"CREATE TABLE result AS {_rows(COUNTED)}")
    p.con.execute("""
        CREATE TABLE out_counts AS
        SELECT p.commune_code, p.arrondissement_code, p.epci_code, p.departement_code, p.region_code,
               CAST(zone AS VARCHAR) AS zone, qpv24_code, qpv15_code, near_qpv24_code, naf_division, is_ess,
               CAST(family AS VARCHAR) AS family, employer, establishments, employees_low, employees_high, unbounded
        FROM (
            SELECT place, zone, qpv24_code, qpv15_code, near_qpv24_code, naf_division, is_ess, family, employer,
                   count(*) AS establishments, sum(employees_low) AS employees_low,
                   sum(coalesce(employees_high, 0)) AS employees_high,
                   count(*) FILTER (employees_high IS NULL) AS unbounded
            FROM result GROUP BY ALL
        ) JOIN ref_place p USING (place)
        -- Hierarchical order: the secondary indexes (release, région / département / EPCI / commune / QPV) of
        -- the database table are then filled almost sequentially (writing 740 k rows: 33 s -> 20 s).
        ORDER BY region_code, departement_code, epci_code, commune_code, arrondissement_code, zone, qpv24_code,
                 qpv15_code, near_qpv24_code, naf_division, is_ess, family, employer
    """)
    p.con.execute(f"""
        CREATE TABLE out_ess AS
        SELECT siret, siren, CASE WHEN private THEN '' ELSE name END AS name, CAST(family AS VARCHAR) AS family,
               coalesce(cj, '') AS legal_category, CAST(ess_source AS VARCHAR) AS ess_source, naf, naf_division,
               naf_section, band, employer,
               employees_low, employees_high, created_on, NOT created_implausible AS created_plausible, is_siege,
               CASE WHEN private THEN '' ELSE coalesce(address, '') END AS address,
               CASE WHEN private THEN '' ELSE coalesce(postcode, '') END AS postcode, commune_code,
               arrondissement_code, epci_code, departement_code, region_code, qpv24_code,
               CAST(qpv24_source AS VARCHAR) AS qpv24_source, qpv15_code,
               CAST(qpv15_source AS VARCHAR) AS qpv15_source, near_qpv24_code, CAST(zone AS VARCHAR) AS zone,
               CASE WHEN private THEN NULL ELSE lon END AS lon, CASE WHEN private THEN NULL ELSE lat END AS lat,
               private
        FROM ({_rows("*", "AND e.is_ess", detail=True)}) ORDER BY siret
    """)  # noqa: S608 - code constants
    p.con.execute("DROP TABLE located; DROP TABLE geo_result; DROP TABLE etab_detail")
    _report(p)


def _report(p) -> None:
    report, summary = p.result.report, p.result.summary
    # One scan of the kept rows for the attribution by source and the sector counts.
    rows = p.con.execute("""
        SELECT qpv24_source, qpv15_source, count(*), count(*) FILTER (qpv24_code <> ''),
               count(*) FILTER (qpv15_code <> ''), count(*) FILTER (naf_division = ''),
               count(*) FILTER (nomenclature = 'NAF2025' AND naf_division <> '')
        FROM result GROUP BY 1, 2
    """).fetchall()
    attribution = {}
    for generation, source_at, inside_at in (("24", 0, 3), ("15", 1, 4)):
        by_source: dict = {}
        for row in rows:
            total = by_source.setdefault(row[source_at], [0, 0])
            total[0] += row[2]
            total[1] += row[inside_at]
        attribution[f"20{generation}"] = {
            source: {"establishments": n, "in_qpv": inside}
            for source, (n, inside) in sorted(by_source.items())
        }
    report["qpv_attribution"] = attribution
    ess = p.con.execute(
        "SELECT count(*), count(*) FILTER (ess_source = 'fallback'), count(*) FILTER (ess_source = 'insee'), "
        "count(*) FILTER (ess_source = 'ess_france') FROM out_ess"
    ).fetchone()
    report["ess"] = {"establishments": ess[0], "fallback": ess[1], "insee_flag": ess[2]}
    if p.has_ess_france:
        report["ess"]["ess_france_list"] = ess[3]
    report["ess_units"] = dict(
        zip(
            ("units", "fallback"),
            p.con.execute(
                "SELECT count(*), count(*) FILTER (ess_source = 'fallback') FROM ess_units"
            ).fetchone(),
            strict=True,
        )
    )
    report["sector"] = {
        "without_naf_rev2_division": sum(row[5] for row in rows),
        "from_naf2025": sum(row[6] for row in rows),
    }
    totals = p.con.execute("""
        SELECT sum(establishments), sum(establishments) FILTER (is_ess), sum(establishments) FILTER (employer),
               sum(establishments) FILTER (employer AND is_ess)
        FROM out_counts
    """).fetchone()
    summary.update(
        dict(zip(("active", "ess", "employer", "ess_employer"), (int(v or 0) for v in totals), strict=True))
    )
    summary["ess_by_family"] = dict(
        p.con.execute(
            "SELECT family, sum(establishments)::BIGINT FROM out_counts WHERE is_ess GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    summary["by_zone"] = {
        zone: {"active": int(active), "ess": int(ess or 0)}
        for zone, active, ess in p.con.execute(
            "SELECT zone, sum(establishments), sum(establishments) FILTER (is_ess) FROM out_counts "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    }
    summary["count_rows"] = p.scalar("SELECT count(*) FROM out_counts")
