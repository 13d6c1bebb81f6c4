"""The ingestion end to end on hand-made files in INSEE's layouts: every rule, attribution path and rejection."""

import pytest
import shapely
from django.db.models import Sum

from essor.sirene.models import EssEstablishment, EstablishmentCount, Release
from essor.sirene.release import ingest
from essor.sirene.territory_filter import territory_q
from essor.sirene.tests import scenario as sc
from essor.sirene.tests.builders import etab, geo, qpv_points, unit, write_inputs
from essor.territories.models import Qpv


@pytest.fixture
def built(reference, tmp_path):
    scenario = sc.build()
    paths = write_inputs(tmp_path / "in", scenario.units, scenario.etabs, scenario.geos, fmt="zip")
    outcome = ingest(paths)
    rows = {row.siret: row for row in EssEstablishment.objects.filter(release=outcome.release)}
    return scenario, outcome.release, rows


def check_release_is_serving_with_provenance(built):
    _, release, _ = built
    assert Release.objects.active() == release
    assert release.status == "ready"
    assert {item["role"] for item in release.inputs} == {
        "unites_legales",
        "etablissements",
        "geolocalisation",
    }
    assert all(len(item["sha256"]) == 64 and item["format"] == "zip" for item in release.inputs)
    assert release.report["rows_read"] == {"unites_legales": 17, "etablissements": 24, "geolocalisation": 9}
    assert {"stage", "units", "establishments", "geolocation", "geometry", "outputs", "write"} <= set(
        release.timings
    )


def check_families_and_ess_source(built):
    _, _, rows = built
    expected = {
        "10000000100001": ("association", "insee"),
        "10000000200001": ("association", "fallback"),
        "10000000300001": ("cooperative", "fallback"),
        "10000000400001": ("mutuelle", "fallback"),
        "10000000500001": ("fondation", "fallback"),
        "10000000600001": ("entreprise_commerciale_ess", "insee"),
        "10000001500001": ("cooperative", "fallback"),
    }
    for siret, (family, source) in expected.items():
        assert (rows[siret].family, rows[siret].ess_source) == (family, source), siret


def check_not_ess_units_and_naf_exclusions_stay_out_of_the_directory(built):
    _, release, rows = built
    # Commercial form without the flag, flag N, and the six excluded activities under the fallback.
    for siren in ["100000007", "100000008", *[f"1000000{n}" for n in range(9, 15)]]:
        assert not any(siret.startswith(siren) for siret in rows)
    assert release.report["ess"] == {"establishments": 10, "fallback": 6, "insee_flag": 4}


def check_closed_establishments_are_not_counted(built):
    _, release, rows = built
    assert "10000001600001" not in rows
    assert release.summary["active"] == 18


def check_employer_and_employee_bounds(built):
    _, _, rows = built
    e1, e2, e5 = rows["10000000100001"], rows["10000000100002"], rows["10000000400001"]
    assert (e1.employer, e1.employees_low, e1.employees_high) == (True, 10, 19)
    assert (e2.employer, e2.employees_low, e2.employees_high) == (True, 10000, None)
    assert (e5.employer, e5.employees_low, e5.employees_high) == (False, 0, 0)  # band 00


def check_qpv_2024_attribution_paths(built):
    scenario, release, rows = built
    qa = scenario.qa

    def attribution(siret):
        row = rows[siret]
        return row.qpv24_code, row.qpv24_source, row.zone, row.near_qpv24_code

    assert attribution("10000000100001") == (qa, "insee", "qpv", "")  # INSEE code
    assert attribution("10000000100002") == ("", "insee", "proximite", qa)  # INSEE 'HZ', 150 m away
    assert attribution("10000000200001") == ("", "insee", "hors_qpv", "")  # INSEE 'CSZ', far
    assert attribution("10000000300001") == (qa, "computed", "qpv", "")  # no code: point-in-polygon
    assert attribution("10000000400001") == ("", "computed", "proximite", qa)  # no code, 150 m away
    assert attribution("10000000500001") == ("", "none", "hors_qpv", "")  # not in the geolocation file
    assert attribution("10000000600001") == (qa, "computed", "qpv", "")  # unknown QPV code: recomputed
    assert release.report["geolocation"]["unknown_qpv24_codes"] == 1


def check_coordinates_in_wgs84(built):
    _, _, rows = built
    toulouse, guadeloupe = rows["10000000300001"], rows["10000001500001"]
    assert 1.2 < toulouse.lon < 1.6 and 43.5 < toulouse.lat < 43.7
    assert -62 < guadeloupe.lon < -61 and 15.8 < guadeloupe.lat < 16.6
    assert rows["10000000500001"].lon is None


def check_overseas_epsg_point_in_polygon_and_band(built):
    scenario, _, rows = built
    inside, near = rows["10000001500001"], rows["10000001500002"]
    assert (inside.qpv24_code, inside.qpv24_source, inside.zone) == (scenario.qg, "computed", "qpv")
    assert (near.zone, near.near_qpv24_code) == ("proximite", scenario.qg)
    assert (inside.departement_code, inside.region_code) == ("971", "01")


def check_longitude_latitude_only_rows_are_located(built):
    scenario, release, _ = built
    count = EstablishmentCount.objects.get(release=release, is_ess=False, zone="qpv")
    assert (count.qpv24_code, count.commune_code, count.establishments) == (scenario.qa, sc.TOULOUSE, 1)


def check_arrondissement_maps_to_its_commune(built):
    _, release, _ = built
    count = EstablishmentCount.objects.get(release=release, departement_code="75")
    assert (count.commune_code, count.arrondissement_code, count.epci_code) == ("75056", "75115", "200054781")


def check_rejected_rows_are_counted_and_sampled(built):
    _, release, rows = built
    rejected = release.report["rejected"]
    assert rejected["by_reason"] == {
        "bad_siret": 1, "siren_mismatch": 1, "duplicate_siret": 1, "unknown_commune": 1, "no_commune": 1,
    }  # fmt: skip
    assert rejected["count"] == 5
    assert {s["reason"] for s in rejected["sample"]} == set(rejected["by_reason"])
    assert {"siret": "1234", "siren": "100000007", "commune": sc.TOULOUSE, "reason": "bad_siret"} in rejected[
        "sample"
    ]
    assert release.report["unknown_codes"]["commune"]["top"] == [["99999", 1]]
    # The first of two lines with the same SIRET is the one kept.
    assert (
        EstablishmentCount.objects.filter(release=release, is_ess=False, zone="qpv").get().establishments == 1
    )


def check_counts_table_sums_to_the_kept_establishments(built):
    _, release, rows = built
    counts = EstablishmentCount.objects.filter(release=release)
    assert sum(c.establishments for c in counts) == 18
    assert sum(c.establishments for c in counts if c.is_ess) == len(rows) == 10
    assert all(c.family == "" for c in counts if not c.is_ess)


# One ingestion per test below (each takes a few seconds): the checks above are grouped.


def test_release_provenance_and_counts(built):
    check_release_is_serving_with_provenance(built)
    check_closed_establishments_are_not_counted(built)
    check_counts_table_sums_to_the_kept_establishments(built)


def test_ess_classification(built):
    check_families_and_ess_source(built)
    check_not_ess_units_and_naf_exclusions_stay_out_of_the_directory(built)
    check_employer_and_employee_bounds(built)


def test_location_and_qpv_attribution(built):
    check_qpv_2024_attribution_paths(built)
    check_coordinates_in_wgs84(built)
    check_overseas_epsg_point_in_polygon_and_band(built)
    check_longitude_latitude_only_rows_are_located(built)
    check_arrondissement_maps_to_its_commune(built)


def test_rejections(built):
    check_rejected_rows_are_counted_and_sampled(built)


def counted(release, kind, code, zone="all", **filters):
    """Active establishments of a territory and zone in the release's count rows (the rule of territory_filter)."""
    rows = EstablishmentCount.objects.filter(territory_q(kind, code, zone), release=release, **filters)
    return rows.aggregate(n=Sum("establishments"))["n"] or 0


def test_qpv_2015_insee_and_computed(reference, tmp_path):
    code = "QP031004"
    points = qpv_points(code)
    units = [unit("300000001", ess="O")]
    etabs = [etab("300000001", 1), etab("300000001", 2), etab("300000001", 3)]
    geos = [geo("30000000100001", *points["inside"], qp24="HZ"), geo("30000000100002", qp15=code, qp24="HZ"),
            geo("30000000100003", *points["far"], qp24="HZ", qp15="HZ")]  # fmt: skip
    release = ingest(write_inputs(tmp_path, units, etabs, geos)).release
    rows = {r.siret: r for r in EssEstablishment.objects.filter(release=release)}
    assert (rows["30000000100001"].qpv15_code, rows["30000000100001"].qpv15_source) == (code, "computed")
    assert (rows["30000000100002"].qpv15_code, rows["30000000100002"].qpv15_source) == (code, "insee")
    assert (rows["30000000100003"].qpv15_code, rows["30000000100003"].qpv15_source) == ("", "insee")
    assert release.report["qpv_attribution"]["2015"]["computed"] == {"establishments": 1, "in_qpv": 1}
    # A QPV 2015 territory: all = qpv = the establishments attributed to it; no 300 m band for 2015.
    assert counted(release, "qpv", code) == 2
    assert counted(release, "qpv", code, "qpv", is_ess=True) == 2
    assert counted(release, "qpv", code, "proximite") == 0


def test_qpv_2015_is_not_computed_where_no_2015_contours_are_loaded(reference, tmp_path):
    """2015 contours are loaded for Occitanie only: a point in Seine-Saint-Denis without INSEE's plg_qp15 cannot be said to
    lie outside every 2015 QPV, so its 2015 attribution is "none" while the 2024 one is computed."""
    qpv = Qpv.objects.filter(generation=2024, departement_id="93").order_by("code").first()
    inside = shapely.from_wkb(bytes(qpv.geometry)).representative_point()
    commune = qpv.communes.order_by("code").first().code
    paths = write_inputs(
        tmp_path, [unit("300000001", ess="O")], [etab("300000001", 1, commune=commune)],
        [geo("30000000100001", epsg=None, lon=inside.x, lat=inside.y)],
    )  # fmt: skip
    row = EssEstablishment.objects.get(release=ingest(paths).release)
    assert (row.qpv24_code, row.qpv24_source) == (qpv.code, "computed")
    assert (row.qpv15_code, row.qpv15_source) == ("", "none")


def test_no_geolocation_file(reference, tmp_path):
    paths = write_inputs(tmp_path, [unit("300000001", ess="O")], [etab("300000001", 1)])
    release = ingest(paths).release
    row = EssEstablishment.objects.get(release=release)
    assert (row.zone, row.qpv24_source, row.qpv15_source) == ("hors_qpv", "none", "none")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_siret_twice_in_the_geolocation_file_counts_once_with_its_first_line(reference, tmp_path, fmt):
    """The geolocation file is joined once; a SIRET found there twice takes the slower path that keeps the first
    line in file order: the establishment is counted once, located where the first line says."""
    code = Qpv.objects.filter(generation=2024, communes__code=sc.TOULOUSE).order_by("code").first().code
    points = qpv_points(code)
    units = [unit("300000001", ess="O")]
    etabs = [etab("300000001", 1), etab("300000001", 2)]
    geos = [geo("30000000100001", *points["inside"]), geo("30000000100002", *points["far"]),
            geo("30000000100001", *points["far"])]  # fmt: skip
    release = ingest(write_inputs(tmp_path, units, etabs, geos, fmt=fmt)).release
    rows = {r.siret: r for r in EssEstablishment.objects.filter(release=release)}
    assert (rows["30000000100001"].zone, rows["30000000100001"].qpv24_code) == ("qpv", code)
    assert rows["30000000100002"].zone == "hors_qpv"
    assert release.summary["active"] == release.summary["ess"] == 2
    assert release.report["geolocation"]["matched"] == 2
