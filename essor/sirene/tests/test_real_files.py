"""The proof on files in the real layouts and types: zipped CSV as INSEE ships it, and Parquet with the
data.gouv.fr types, served with real-shaped dataset descriptions on 127.0.0.1, through the real commands:
`essor sirene download` -> `essor sirene ingest --from DIR` -> `essor indicators`, against hand-counted figures.

The rows (Toulouse 31555 around QPV `qa`, a former commune code of Haute-Garonne, Mamoudzou in Mayotte):
  E1  U1 association, flag O, band 11 (10-19), employer character O, inside qa, plg_qp24 = qa       -> qpv
  E2  U1, band NN but employer character O (a disagreement), 150 m from qa, plg_qp24 [ND]          -> proximite
  E3  U3 association, empty flag, NAF 2025 main activity 94.99Y (fallback: not excluded), band 01  -> hors_qpv
  E4  U2 association, empty flag, NAF 2025 94.11Y (excluded from the fallback): not ESS, HZ        -> hors_qpv
  E5  U4 entrepreneur individuel (not ESS), inside qa, plg_qp24 = qa                               -> qpv
  E6  U5 company, flag O, partially diffusible (P), band 02 (3-5), inside qa, lon/lat and plg [ND] -> qpv
  E7  U6 association, flag O (its SIREN twice in the units file), placeholder date 1900-01-01, HZ  -> hors_qpv
  E8  U7 company, flag N, band 12 (20-49) but employer character N, coordinates 'inf'              -> hors_qpv
  E9  SIREN missing from the units file (counted, not ESS), no geolocation                          -> hors_qpv
  E10 U8 association, flag O, Mamoudzou, no geolocation row, stock Lambert coordinates in a QPV     -> qpv
  E11 U1, closed (not counted)
  E12 U1, commune 31214 (a former code of Cierp-Gaud 31144)
  E13 U9 company, flag N, in ESS France's list                                                     -> hors_qpv
  E14 U1, unknown size band ZZ
Hand counts: 13 active, 9 ESS (association 7, ESS commercial company 2), employer 4, ESS employer 3,
employees 34-75 (ESS 14-26). Toulouse: 11 active, 7 ESS; its QPV zone 3 / 2; proximite 1 / 1.
"""

import io
import json

import pytest
from django.core.management import call_command

from essor.sirene.models import EssEstablishment, Release
from essor.sirene.tests import test_download as served
from essor.sirene.tests.builders import etab, geo, qpv_points, unit, write_inputs
from essor.territories.models import Qpv
from essor.territories.tests.fixtures import load_reference

TOULOUSE, MAMOUDZOU = "31555", "97611"


@pytest.fixture
def territories(db):
    return load_reference(departements=("31", "976"))


def rows():
    qa = Qpv.objects.filter(generation=2024, communes__code=TOULOUSE).order_by("code").first().code
    qm = Qpv.objects.filter(generation=2024, communes__code=MAMOUDZOU).order_by("code").first().code
    pa = qpv_points(qa)
    mayotte = Qpv.objects.get(code=qm)
    inside_mayotte = _inside(mayotte, 4471)
    units = [
        unit("100000001", cj="9220", ess="O"),
        unit("100000002", cj="9220", naf="94.11Y", nomenclatureActivitePrincipaleUniteLegale="NAF2025"),
        unit("100000003", cj="9220", naf="94.99Y", nomenclatureActivitePrincipaleUniteLegale="NAF2025"),
        unit("100000004", cj="1000", ess="N", naf="47.11B"),
        unit("100000005", cj="5710", ess="O", naf="62.01Z", statutDiffusionUniteLegale="P", name="[ND]"),
        unit("100000006", cj="9220", ess="N"),
        unit("100000006", cj="9220", ess="O"),
        unit("100000007", cj="5499", ess="N", naf="43.21A"),
        unit("100000008", cj="9220", ess="O"),
        unit("100000009", cj="5710", ess="N", naf="62.01Z"),
    ]
    etabs = [
        etab("100000001", 1, band="11", caractereEmployeurEtablissement="O"),
        etab("100000001", 2, band="NN", caractereEmployeurEtablissement="O"),
        etab("100000003", 1, band="01", naf="94.99Y", nomenclatureActivitePrincipaleEtablissement="NAF2025"),
        etab("100000002", 1, naf="94.11Y", nomenclatureActivitePrincipaleEtablissement="NAF2025"),
        etab("100000004", 1, naf="47.11B"),
        etab("100000005", 1, band="02", naf="62.01Z", statutDiffusionEtablissement="P", numeroVoieEtablissement="[ND]",
             typeVoieEtablissement="[ND]", libelleVoieEtablissement="[ND]", codePostalEtablissement="[ND]"),
        etab("100000006", 1, dateCreationEtablissement="1900-01-01"),
        etab("100000007", 1, band="12", naf="43.21A", caractereEmployeurEtablissement="N"),
        etab("100000099", 1),
        etab("100000008", 1, commune=MAMOUDZOU, codePostalEtablissement="97600",
             coordonneeLambertAbscisseEtablissement=f"{inside_mayotte[0]:.1f}",
             coordonneeLambertOrdonneeEtablissement=f"{inside_mayotte[1]:.1f}"),
        etab("100000001", 3, etat="F"),
        etab("100000001", 4, commune="31214"),
        etab("100000009", 1, naf="62.01Z"),
        etab("100000001", 5, band="ZZ"),
    ]  # fmt: skip
    geos = [
        geo("10000000100001", *pa["inside"], qp24=qa),
        geo("10000000100002", *pa["near"], qp24="[ND]"),
        geo("10000000300001", *pa["far"], qp24=" "),
        geo("10000000200001", *pa["far"], qp24="HZ"),
        geo("10000000400001", *pa["inside"], qp24=qa),
        geo("10000000500001", *pa["inside"], qp24="[ND]", x_longitude="[ND]", y_latitude="[ND]"),
        geo("10000000600001", *pa["far"], qp24="HZ"),
        geo("10000000700001", float("inf"), float("inf"), qp24=""),
    ]
    return units, etabs, geos, qa, qm


def _inside(qpv, epsg):
    import shapely

    from essor.sirene.tests.builders import _metric

    point = _metric(qpv.geometry, epsg).representative_point()
    assert isinstance(point, shapely.Point)
    return point.x, point.y


ESS_FRANCE_LIST = "SIREN;Nom;Famille juridique;Code postal;Commune\n" \
    "100000001;UNITE 100000001;Association;31000;Toulouse\n" \
    "100000009;UNITE 100000009;Société commerciale de l'ESS;31000;Toulouse\n" \
    "999999999;ABSENTE;Association;31000;Toulouse\n" \
    "ABC;ligne sans SIREN;Association;31000;Toulouse\n"  # fmt: skip


def indicators(identifier, zone="all"):
    out = io.StringIO()
    call_command("indicators", identifier, "--json", "--zone", zone, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("fmt", "names"),
    [
        ("parquet", (served.UL_PARQUET, served.ETAB_PARQUET, served.GEO_PARQUET)),
        ("zip", ("StockUniteLegale_utf8.zip", "StockEtablissement_utf8.zip",
                 "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip")),
    ],
)  # fmt: skip
def test_download_ingest_indicators_on_files_in_the_real_layouts_and_types(
    territories, tmp_path, settings, fmt, names
):
    units, etabs, geos, qa, qm = rows()
    built = write_inputs(tmp_path / "built", units, etabs, geos, fmt=fmt)
    payloads = dict(zip(names, (built[r].read_bytes() for r in ("unites_legales", "etablissements", "geolocalisation")),
                        strict=True))  # fmt: skip
    server = served.serve(payloads)
    try:
        settings.DATAGOUV_API = f"{server.base}/api/1"
        downloads = tmp_path / "downloads"
        out = io.StringIO()
        call_command("sirene", "download", "--dest", str(downloads), "--format",
                     "parquet" if fmt == "parquet" else "csv", stdout=out)  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(p.name for p in downloads.iterdir() if not p.name.endswith(".json")) == sorted(names)
    ess_list = tmp_path / "liste-entreprises-ess.csv"
    ess_list.write_text(ESS_FRANCE_LIST, encoding="utf-8")
    call_command(
        "sirene", "ingest", "--from", str(downloads), "--ess-france", str(ess_list), stdout=io.StringIO()
    )

    release = Release.objects.active()
    assert str(release.vintage) == "2026-11-01"  # from the titles ("01 novembre 2026")
    france = indicators("france:FR")
    assert france["establishments"] == {
        "active": 13, "ess": 9, "ess_share": round(9 / 13, 6),
        "ess_by_family": {"association": 7, "cooperative": 0, "mutuelle": 0, "fondation": 0,
                          "entreprise_commerciale_ess": 2},
        "employer": 4, "ess_employer": 3,
    }  # fmt: skip
    assert france["employees_estimate"] == {"all": {"low": 34, "high": 75}, "ess": {"low": 14, "high": 26}}
    toulouse = indicators(f"commune:{TOULOUSE}")["establishments"]
    assert (toulouse["active"], toulouse["ess"]) == (11, 7)
    in_qpv = indicators(f"commune:{TOULOUSE}", "qpv")["establishments"]
    assert (in_qpv["active"], in_qpv["ess"]) == (3, 2)
    near = indicators(f"commune:{TOULOUSE}", "proximite")["establishments"]
    assert (near["active"], near["ess"]) == (1, 1)
    assert indicators(f"qpv:{qa}")["establishments"]["active"] == 3
    # Mayotte is not in the geolocation file: located from the stock's coordinates, its QPV has figures.
    mayotte = indicators(f"qpv:{qm}")["establishments"]
    assert (mayotte["active"], mayotte["ess"]) == (1, 1)
    assert indicators("commune:31144")["establishments"]["ess"] == 1  # its former code 31214

    report = release.report
    assert report["rows_read"] == {"unites_legales": 10, "etablissements": 14, "geolocalisation": 8}
    assert report["units"]["duplicate_sirens"] == 1
    assert report["establishments_without_unit"] == {"count": 1, "sample": ["10000009900001"]}
    assert report["former_commune_codes"] == 1
    assert report["creation_dates"]["implausible"] == 1
    assert report["creation_dates"]["implausible_top"] == [["1900-01-01", 1]]
    assert report["unknown_codes"]["size_band"]["top"] == [["ZZ", 1]]
    assert report["employer_rule"]["band_employer_but_character_N"] == 1
    assert report["employer_rule"]["band_not_employer_but_character_O"] == 1
    assert report["geolocation"]["unusable_coordinates"] == 1
    assert report["geolocation"]["unusable_sample_sirets"] == ["10000000700001"]
    assert report["locations_by_source"] == {"geolocation": 7, "none": 5, "stock": 1}
    assert report["nomenclature"]["naf2025_main"] == 2 and report["sector"]["from_naf2025"] == 2
    assert report["ess_france"] == {
        "list_sirens": 3, "insee_ess_not_in_list": 3, "list_not_insee_ess": 2, "list_not_in_units_file": 1,
        "units_ess_by_list_only": 1, "sample_ess_by_list_only": ["100000009"], "bad_lines": {"count": 1, "sample": ["ABC"]},
    }  # fmt: skip
    assert report["privacy"] == {"partially_diffusible": 1, "masked_ess_establishments": 1}
    assert report["gate"]["passed"]

    stored = {row.siret: row for row in EssEstablishment.objects.filter(release=release)}
    e3 = stored["10000000300001"]
    assert (e3.naf, e3.naf_division, e3.ess_source) == ("94.99Y", "94", "fallback")  # NAF 2025, rév. 2 sector
    assert stored["10000000900001"].ess_source == "ess_france"
    masked = stored["10000000500001"]
    assert masked.private and (masked.name, masked.address, masked.postcode, masked.lon) == ("", "", "", None)
    assert (masked.zone, masked.qpv24_code, masked.qpv24_source) == ("qpv", qa, "computed")
    assert not stored["10000000600001"].created_plausible
    assert stored["10000000800001"].qpv24_source == "computed"
