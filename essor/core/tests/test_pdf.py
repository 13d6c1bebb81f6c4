"""render_pdf: a real, tagged PDF with its language, title, embedded vendored fonts, and no network access."""

import http.server
import io
import threading

import pikepdf

from essor.core.pdf import render_pdf


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def fonts_of(pdf: pikepdf.Pdf) -> set[str]:
    names = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            names.add(str(font.get("/BaseFont")))
    return names


def test_pdf_has_language_title_tags_and_dejavu():
    data = render_pdf(
        "core/pdf/base.html", {"body": "Économie sociale et solidaire : 9,6 %"}, lang="fr", title="Essai"
    )
    assert data.startswith(b"%PDF-")
    pdf = open_pdf(data)
    assert len(pdf.pages) == 1
    assert str(pdf.Root.Lang) == "fr"
    assert str(pdf.docinfo["/Title"]) == "Essai"
    assert "/StructTreeRoot" in pdf.Root  # tagged for screen readers (PDF/UA)
    assert any("DejaVu-Sans" in name for name in fonts_of(pdf))  # embedded (subset)


def test_english_document_language():
    pdf = open_pdf(render_pdf("core/pdf/base.html", {}, lang="en", title="Test"))
    assert str(pdf.Root.Lang) == "en"


def test_remote_resources_are_not_fetched(tmp_path):
    """An image on another host would make the server call out: a local server sees no request."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the stdlib's name
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tracker.png"
        data = render_pdf(
            "core/pdf/base.html", {"image": url}, lang="fr", title="t", metadata={"description": "d"}
        )
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    pdf = open_pdf(data)
    assert str(pdf.docinfo["/Subject"]) == "d"
