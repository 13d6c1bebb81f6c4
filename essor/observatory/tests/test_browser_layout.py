"""Layout in headless Chromium: at 375 px nothing is cut and charts stay legible; in the benchmark at 1280 px the
territory's name and the sorted column stay in view."""

import pytest

from essor.observatory import charts
from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const out = {pageWidth: document.documentElement.scrollWidth, cut: [], unwrapped: [], charts: []};
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (cell.scrollWidth > cell.clientWidth + 1) out.cut.push(cell.textContent.trim().slice(0, 40));
  }
  for (const table of document.querySelectorAll("main table")) {
    const box = table.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 && !table.closest(".table-wrap")) out.unwrapped.push(table.className);
  }
  for (const img of document.querySelectorAll(".obs-chart img")) {
    out.charts.push(img.getBoundingClientRect().width / img.naturalWidth);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_territory_page_at_375_px(page, lang):
    build_territories()
    precompute_release(build_release())
    page.set_viewport_size({"width": 375, "height": 800})
    page.set_default_timeout(60_000)  # five charts are rendered on the first visit
    page.goto(f"/{lang}/territoires/epci/243100518/", wait_until="domcontentloaded")
    loaded = (
        "() => [...document.querySelectorAll('.obs-chart img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    for _ in range(120):  # wait_for_function would need 'unsafe-eval', which the site's CSP refuses
        if page.evaluate(loaded):
            break
        page.wait_for_timeout(500)
    found = page.evaluate(MEASURE)
    assert found["pageWidth"] <= 375  # wide tables scroll inside their own box, not the page
    assert found["unwrapped"] == []
    assert found["cut"] == []  # no number cut ("Association 37" for 374)
    assert len(found["charts"]) == 5
    # Chart text is drawn at FONT_SIZE px and scaled with the image: at least 10 px on the phone (was ~5 px).
    assert min(found["charts"]) * charts.FONT_SIZE >= 10, found["charts"]
    page.screenshot(path=f"/tmp/essor-territory-375-{lang}.png", full_page=True)


def test_benchmark_at_1280_px_keeps_name_and_sorted_column_in_view(page):
    build_territories()
    precompute_release(build_release())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/observatoire/metropoles/?sort=entreprise_commerciale_ess&order=desc")
    sorted_header = page.locator("th[aria-sort]")
    assert "ESS commercial companies" in sorted_header.inner_text()
    # Scroll the table to its far right: the name column sticks, the sorted one is second.
    page.locator(".table-wrap").evaluate("box => box.scrollLeft = box.scrollWidth")
    name = page.locator("tbody tr").first.locator("th").bounding_box()
    sorted_cell = page.locator("tbody tr").first.locator("td[data-sorted]").bounding_box()
    assert 0 <= name["x"] < 1280 and name["x"] + name["width"] <= 1280
    assert (
        name["x"] + name["width"] - 1 <= sorted_cell["x"] and sorted_cell["x"] + sorted_cell["width"] <= 1280
    )
    headers = page.locator("thead th").all_inner_texts()
    assert headers[0].startswith("EPCI") and headers[1].startswith("ESS commercial companies")
    page.screenshot(path="/tmp/essor-benchmark-1280.png")
