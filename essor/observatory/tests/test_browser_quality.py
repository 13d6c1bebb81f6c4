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


COUNT_TABLES = """() => [...document.querySelectorAll("table.obs-quality")].map(table => {
  const box = table.parentElement;
  return {id: table.id, table: table.scrollWidth, box: box.clientWidth};
})"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_count_tables_fit_a_phone_so_no_count_is_cut(page, lang):
    """Each count table fits its box at 375 px: a wider one would show "80,94" for 80,945 until scrolled (the
    demo release's location and attribution tables: long labels, six-digit counts, two count columns)."""
    build_territories()
    release = build_release()
    # The demo release's location table: long labels, six-digit counts.
    release.report = {
        **(release.report or {}),
        "locations_by_source": {"geolocation": 180_945, "stock": 110_955, "none": 365},
        "geolocation": {"matched": 182_660, "unmatched": 109_595, "unusable_coordinates": 0,
                        "unconvertible_coordinates": 0, "unknown_qpv24_codes": 0, "unrecognised_qpv24_values": 0},
        "qpv_attribution": {"2024": {"insee": {"establishments": 172_886, "in_qpv": 19_013},
                                     "computed": {"establishments": 110_955, "in_qpv": 1_642}}},
    }  # fmt: skip
    release.save(update_fields=["report"])
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"/{lang}/observatoire/releases/{release.pk}/qualite/", wait_until="load")
    tables = page.evaluate(COUNT_TABLES)
    assert {"quality-location", "quality-attribution"} <= {t["id"] for t in tables}
    assert tables, "the report shows its count tables"
    assert [t for t in tables if t["table"] > t["box"]] == []
