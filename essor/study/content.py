"""Editorial text: Markdown written by editors, rendered to HTML and sanitised (no script, no style, no event
attribute, links limited to http(s) and mailto), so an edition's text cannot inject anything into the site or the PDF."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 with the allow-lists above


def localized(obj, field: str, lang: str) -> str:
    """obj.<field>_<lang>, French when the English text is missing (the page then says nothing false)."""
    value = getattr(obj, f"{field}_{lang}", "") if lang == "en" else ""
    return value or getattr(obj, f"{field}_fr", "")
