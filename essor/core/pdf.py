"""PDF documents from Django templates, with WeasyPrint (HTML and CSS for print; needs Debian's Pango).

    pdf = render_pdf("observatory/factsheet_pdf.html", context, lang="fr", title="Toulouse : fiche ESS")

- Fonts are vendored (DejaVu Sans, essor/core/static/core/fonts/, licence beside them): the same glyphs on every
  machine, whatever fonts the server has, and embedded in the file.
- Nothing is fetched from the network: only file: and data: URLs are followed (images are inlined as SVG or data:
  URLs, stylesheets come from the project's static files), so a name in the data cannot make the server call out.
- The file is tagged (PDF/UA-1 by default: structure for screen readers), with the document language and title in
  its metadata.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

FONTS_DIR = Path(__file__).resolve().parent / "static" / "core" / "fonts"
BASE_CSS = f"""
@font-face {{ font-family: "DejaVu Sans"; font-weight: normal; src: url("{(FONTS_DIR / "DejaVuSans.ttf").as_uri()}"); }}
@font-face {{ font-family: "DejaVu Sans"; font-weight: bold; src: url("{(FONTS_DIR / "DejaVuSans-Bold.ttf").as_uri()}"); }}
html {{ font-family: "DejaVu Sans", sans-serif; }}
"""
VARIANT = "pdf/ua-1"


def static_path(path: str) -> Path:
    """The file behind a static path (e.g. "observatory/factsheet.css"), for stylesheets of a PDF."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path!r} not found")
    return Path(found)


def _fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=False)


def render_document(
    template: str,
    context: dict,
    *,
    lang: str,
    title: str,
    metadata: dict | None = None,
    stylesheets: list[str] = (),
):
    """The laid-out WeasyPrint document (pages and boxes: what tests read the text of), before writing."""
    from weasyprint import CSS, HTML

    with translation.override(lang):
        html = render_to_string(template, {**context, "pdf_title": title, "pdf_lang": lang})
    fetcher = _fetcher()
    sheets = [CSS(string=BASE_CSS, url_fetcher=fetcher)]
    sheets += [CSS(filename=str(static_path(path)), url_fetcher=fetcher) for path in stylesheets]
    document = HTML(string=html, base_url=str(FONTS_DIR), url_fetcher=fetcher).render(stylesheets=sheets)
    document.metadata.title = title
    document.metadata.lang = lang
    for key, value in (metadata or {}).items():
        setattr(document.metadata, key, value)
    return document


def write_pdf(document, variant: str | None = VARIANT) -> bytes:
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(pdf_tags=True, **options)


def render_pdf(
    template: str,
    context: dict,
    *,
    lang: str,
    title: str,
    metadata: dict | None = None,
    stylesheets: list[str] = (),
    variant: str | None = VARIANT,
) -> bytes:
    """The PDF of `template` rendered in language `lang`. metadata: authors, description, keywords... (PDF info
    fields); stylesheets: static paths added after the fonts."""
    document = render_document(
        template, context, lang=lang, title=title, metadata=metadata, stylesheets=stylesheets
    )
    return write_pdf(document, variant)


def _texts(box):
    text = getattr(box, "text", None)
    if isinstance(text, str):
        yield text
    for child in getattr(box, "children", ()) or ():
        yield from _texts(child)


def page_texts(document) -> list[str]:
    """The text laid out on each page of a rendered document (for tests and checks: what a reader sees)."""
    return [" ".join(_texts(page._page_box)) for page in document.pages]
