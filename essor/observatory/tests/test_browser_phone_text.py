"""Territory pages at 375 px in headless Chromium: key figures fit their cards and the captions of tables that
scroll sideways stay readable (both were cut: "12 463 06" for 12,463,060, captions running off the screen)."""

import pytest

from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories
from essor.territories.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUT = """() => {
  const found = [];
  for (const el of document.querySelectorAll(".figure-value")) {
    const card = el.closest(".figure, .card");
    const right = card ? card.getBoundingClientRect().right : window.innerWidth;
    if (el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > right) found.push(el.textContent.trim());
  }
  for (const caption of document.querySelectorAll(".table-wrap > table > caption:not(.visually-hidden)")) {
    const box = caption.closest(".table-wrap").getBoundingClientRect();
    if (caption.getBoundingClientRect().right > box.right + 1) found.push(caption.textContent.trim().slice(0, 40));
  }
  return {pageWidth: document.documentElement.scrollWidth, cut: found};
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["region/76", "commune/31555"])
def test_key_figures_and_captions_are_not_cut_at_375_px(page, lang, path):
    build_territories()
    Region.objects.filter(code="76").update(population=12_463_060)
    precompute_release(build_release())
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/{lang}/territoires/{path}/", wait_until="load")
    found = page.evaluate(CUT)
    assert found["pageWidth"] <= 375
    assert found["cut"] == []
