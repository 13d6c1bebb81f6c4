"""The territorial fact sheet as a PDF: at most two A4 pages, in French and English, with the vintage, the source,
the methodology link, the inside/outside table, the charts and a static map."""

import io

import pikepdf
import pytest
from django.test import RequestFactory
from django.utils import translation

from essor.core.pdf import page_texts
from essor.observatory.factsheet import factsheet_document
from essor.observatory.scope import get_scope
from essor.sirene.models import Release

LANGUAGES = ["fr", "en"]
A4 = (595, 842)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("identifier", ["epci:243100518", "qpv:QN03104M", "france:FR"])
def test_pdf_is_at_most_two_a4_pages(client, precomputed, lang, identifier):
    kind, code = identifier.split(":")
    response = client.get(f"/{lang}/observatoire/territoires/{kind}/{code}/fiche.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"-{lang}.pdf" in response["Content-Disposition"]
    pdf = pikepdf.open(io.BytesIO(response.content))
    assert 1 <= len(pdf.pages) <= 2  # the printed page was 8 mostly empty pages
    for page in pdf.pages:
        width, height = (round(float(value)) for value in page.MediaBox[2:])
        assert (width, height) == A4
    assert str(pdf.Root.Lang) == lang
    assert ("fiche ESS" if lang == "fr" else "ESS fact sheet") in str(pdf.docinfo["/Title"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_says_vintage_source_method_and_shows_tables_charts_map(precomputed, lang):
    request = RequestFactory().get(f"/{lang}/observatoire/territoires/epci/243100518/fiche.pdf")
    with translation.override(lang):
        document = factsheet_document(request, Release.objects.active(), get_scope("epci", "243100518"))
    text = " ".join(page_texts(document))
    assert "Toulouse Métropole" in text
    assert ("1er novembre 2026" if lang == "fr" else "Nov. 1, 2026") in text
    assert "SIRENE" in text and "INSEE" in text and "/methodologie/" in text
    assert ("Dans un QPV" if lang == "fr" else "Inside a QPV") in text  # the inside/outside table
    assert ("19,6\u00a0%" if lang == "fr" else "19.6%") in text  # rounded, in the language
    assert ("synthétiques" if lang == "fr" else "Synthetic") in text
    images = [
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if type(box).__name__ == "InlineReplacedBox" or type(box).__name__ == "BlockReplacedBox"
    ]
    assert len(images) >= 6  # five charts and the map
    assert text.count("(") >= 1


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)
