"""The QPV page at 375 px in headless Chromium: the comparison (QPV, rest of the commune, EPCI, France) scrolls in
its own box, the indicator names stay in view, nothing is cut, and the population is shown with its note."""

import pytest

from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const wrap = document.querySelector("#qpv-compare .table-wrap");
  const table = wrap.querySelector("table");
  const cut = [];
  for (const cell of table.querySelectorAll("td, th")) {
    if (cell.scrollWidth > cell.clientWidth + 1) cut.push(cell.textContent.trim().slice(0, 40));
  }
  const before = table.querySelector("tbody th").getBoundingClientRect();
  wrap.scrollLeft = wrap.scrollWidth;
  const after = table.querySelector("tbody th").getBoundingClientRect();
  const last = table.querySelector("tbody tr td:last-child").getBoundingClientRect();
  return {
    pageWidth: document.documentElement.scrollWidth,
    wrapWidth: wrap.clientWidth, tableWidth: table.scrollWidth, scrolled: wrap.scrollLeft,
    cut, before: before.left, after: after.left, lastRight: last.right,
    headers: [...table.querySelectorAll("thead th")].map(th => th.textContent.trim()),
  };
}"""


@pytest.mark.parametrize(("lang", "rest"), [("fr", "Reste de Toulouse"), ("en", "Rest of Toulouse")])
def test_qpv_page_comparison_at_375_px(page, lang, rest):
    build_territories()
    precompute_release(build_release())
    page.set_viewport_size({"width": 375, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(f"/{lang}/territoires/qpv/QN03104M/", wait_until="domcontentloaded")
    page.locator("#qpv-compare").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/essor-qpv-375-{lang}.png", full_page=True)
    found = page.evaluate(MEASURE)
    assert found["pageWidth"] <= 375  # the table scrolls in its own container, not the page
    assert found["tableWidth"] > found["wrapWidth"] and found["scrolled"] > 0
    assert found["cut"] == []  # no figure or label cut inside its cell
    assert found["after"] == found["before"] >= 0  # the indicator column sticks while the figures scroll
    assert found["lastRight"] <= 375  # France's column can be scrolled into view
    assert rest in found["headers"][2] and found["headers"][-1] == "France"
    assert page.locator("#qpv-compare .scroll-hint").is_visible()  # the phone reader is told it scrolls
    page.locator("#qpv-compare").screenshot(path=f"/tmp/essor-qpv-375-{lang}-table-scrolled.png")
