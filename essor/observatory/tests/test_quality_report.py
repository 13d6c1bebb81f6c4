"""The public quality report of a release: the counts of a real ingested release, in both languages, without any
personal data of the records it set aside or masked, linked from every figure's source line and the methodology.

The release is built by the real pipeline from files in INSEE's layouts (essor.sirene.tests.builders).
"""

import html
import re

import pytest

from essor.sirene.release import ingest
from essor.sirene.tests.builders import etab, geo, qpv_points, unit, write_inputs
from essor.territories.models import Qpv
from essor.territories.tests.fixtures import load_reference

# A partially diffusible ESS establishment and two of an entrepreneur individuel (one set aside): what a page
# must never show of them, although the stored report samples some of their SIRETs (invalid date, rejection).
PRIVATE_SIRET = "30000000200001"
PERSON_SIRETS = ("30000000300001", "30000000300002")
SECRETS = ("CLAIRE DISCRETE", "IMPASSE CACHEE", "JEAN PERSONNE", "CHEMIN PRIVE", PRIVATE_SIRET, *PERSON_SIRETS,
           "300000002", "300000003")  # fmt: skip


@pytest.fixture
def built(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    load_reference(departements=("31",))
    qa = Qpv.objects.filter(generation=2024, communes__code="31555").order_by("code").first().code
    points = qpv_points(qa)
    units = [
        unit("300000001", cj="9220", ess="O"),
        unit("300000002", cj="9220", ess="O", name="CLAIRE DISCRETE", statutDiffusionUniteLegale="P"),
        unit("300000003", cj="1000", ess="O", name="JEAN PERSONNE"),
        unit("300000004", cj="9220"),  # no flag: ESS by the statistical-perimeter fallback
        unit("300000005", cj="5499", ess="N", naf="47.11B"),
    ]
    private = {"statutDiffusionEtablissement": "P", "libelleVoieEtablissement": "IMPASSE CACHEE",
               "dateCreationEtablissement": "2026-02-30"}  # fmt: skip
    etabs = [
        etab("300000001", 1, band="11"),
        etab("300000001", 2),
        etab("300000002", 1, **private),
        etab("300000003", 1, libelleVoieEtablissement="CHEMIN PRIVE", dateCreationEtablissement="0004-01-01"),
        etab("300000003", 2, commune="99999", libelleVoieEtablissement="CHEMIN PRIVE"),  # unknown commune
        etab("300000004", 1),
        etab("300000005", 1, naf="47.11B"),
        etab("300000005", 2, naf="47.11B", siret="123"),  # not 14 digits
    ]
    geos = [
        geo("30000000100001", *points["inside"], qp24=qa),  # INSEE's QPV
        geo("30000000100002", *points["far"], qp24="HZ"),  # INSEE: outside
        geo(PRIVATE_SIRET, *points["inside"]),  # computed from coordinates
        geo("30000000400001", *points["inside"]),  # computed
    ]
    paths = write_inputs(tmp_path / "in", units, etabs, geos)
    return ingest(paths, synthetic=True).release


def cells(page: str) -> dict[str, list[str]]:
    """Each table row of the page by its header cell's text: the texts of its other cells."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        texts = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]  # fmt: skip
        if texts:
            rows[texts[0]] = texts[1:]
    return rows


def test_the_page_shows_the_counts_of_the_release(client, built):
    page = client.get(f"/fr/observatoire/releases/{built.pk}/qualite/")
    assert page.status_code == 200
    text = page.content.decode()
    rows = cells(text)
    report = built.report
    assert report["rejected"]["by_reason"] == {"bad_siret": 1, "unknown_commune": 1}
    assert rows["SIRET qui n'a pas 14 chiffres"] == ["1"] and rows["code commune inconnu"] == ["1"]
    assert rows["lignes mises de côté, tous motifs"] == ["2"]
    assert rows["ESS par la règle de repli du périmètre statistique (indicateur vide)"] == ["1"]
    assert rows["établissements partiellement diffusibles (comptés, jamais nommés)"] == ["1"]
    assert rows["dates de création invalides (gardées sans date)"] == ["1"]
    assert rows["dates de création invraisemblables (gardées, hors du graphique des créations)"] == ["1"]
    attribution = report["qpv_attribution"]["2024"]
    assert rows["QPV 2024 — Fichier de géolocalisation de l'INSEE"] == [
        str(attribution["insee"]["establishments"]), "1"]  # fmt: skip
    assert rows["QPV 2024 — Calculé à partir des coordonnées"] == ["2", "2"]
    assert rows["Fichier de géolocalisation de l'INSEE"] == ["4"]
    assert "Contrôle de publication" in text and "réussi" in text
    for item in built.inputs:
        assert item["sha256"] in text and item["name"] in text
    assert "Établissements (StockEtablissement)" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_personal_data_of_masked_or_person_records(client, built, lang):
    assert PRIVATE_SIRET in str(built.report) and PERSON_SIRETS[1] in str(
        built.report
    )  # the samples hold them
    for path in (f"/{lang}/observatoire/releases/{built.pk}/qualite/", f"/{lang}/observatoire/releases/"):
        text = client.get(path).content.decode()
        found = [secret for secret in SECRETS if secret in text]
        assert not found, (path, found)


def test_english_page(client, built):
    text = client.get(f"/en/observatoire/releases/{built.pk}/qualite/").content.decode()
    rows = cells(text)
    assert rows["rows set aside, all reasons"] == ["2"]
    assert rows["ESS by the statistical-perimeter fallback (empty flag)"] == ["1"]
    assert rows["QPV 2024 — Computed from coordinates"] == ["2", "2"]
    assert "Quality report of the release of" in text and "Rapport" not in text


def test_list_page_and_empty_state(client, db):
    for lang, empty in (("fr", "aucun rapport de qualité"), ("en", "no quality report to show")):
        text = client.get(f"/{lang}/observatoire/releases/").content.decode()
        assert empty in text.lower()


def test_list_page_links_each_release(client, built):
    text = client.get("/en/observatoire/releases/").content.decode()
    assert f'href="/en/observatoire/releases/{built.pk}/qualite/"' in text
    assert client.get("/fr/observatoire/releases/999999/qualite/").status_code == 404


def test_linked_from_a_territory_source_line_and_the_methodology(client, built):
    link = f'href="/fr/observatoire/releases/{built.pk}/qualite/"'
    territory = client.get("/fr/territoires/commune/31555/").content.decode()
    source = re.search(r'<p class="obs-vintage muted">.*?</p>', territory, flags=re.S)
    assert source and link in source.group(0) and "Rapport de qualité" in source.group(0)
    methodology = client.get("/fr/methodologie/").content.decode()
    assert link in methodology and 'href="/fr/observatoire/releases/"' in methodology
