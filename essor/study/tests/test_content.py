"""Editorial Markdown is sanitised: nothing an editor types can run in a reader's browser or in the PDF."""

import re

from essor.study.content import render_markdown


def test_markdown_keeps_formatting_and_drops_scripts():
    html = render_markdown(
        "**Gras** et [lien](https://avise.org)\n\n<script>alert(1)</script>\n\n"
        "[piège](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<strong>Gras</strong>" in html and 'href="https://avise.org"' in html
    assert re.search(r"<(script|img)\b", html) is None  # shown as text, never as tags
    assert 'href="javascript' not in html
