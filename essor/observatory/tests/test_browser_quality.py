"""The quality report in headless Chromium at 375 px and on a desktop: the input files' table (long file names,
64-character checksums) fits in its box with rows of a few lines, never a checksum one character wide."""

import hashlib

import pytest

from essor.observatory.tests.conftest import build_release, build_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {
    "unites_legales": "StockUniteLegale_utf8.parquet",
    "etablissements": "StockEtablissement_utf8.parquet",
    "geolocalisation": "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.parquet",
}
MEASURE = """() => {
  const table = document.querySelector(".obs-quality-inputs");
  return {
    pageWidth: document.documentElement.scrollWidth,
    rowHeights: [...table.querySelectorAll("tbody tr")].map(row => row.getBoundingClientRect().height),
    checksumWidths: [...table.querySelectorAll(".obs-checksum")].map(code => code.getBoundingClientRect().width),
  };
}"""


@pytest.mark.parametrize(("lang", "width"), [("fr", 375), ("en", 375), ("fr", 1280)])
def test_input_files_table_reads_on_a_phone_and_a_desktop(page, lang, width):
    build_territories()
    release = build_release()
    release.inputs = [
        {"role": role, "name": name, "format": "parquet", "size": 9_368_263, "rows": 222_021,
         "sha256": hashlib.sha256(name.encode()).hexdigest()}
        for role, name in NAMES.items()
    ]  # fmt: skip
    release.save(update_fields=["inputs"])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{lang}/observatoire/releases/{release.pk}/qualite/", wait_until="load")
    found = page.evaluate(MEASURE)
    assert found["pageWidth"] <= width  # the table scrolls in its own box at worst, never the page
    assert len(found["rowHeights"]) == 3 and max(found["rowHeights"]) < 150  # was ~280 px a row
    assert min(found["checksumWidths"]) > 150  # was a column one character wide
