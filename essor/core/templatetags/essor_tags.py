"""Template helpers shared by every app: language switch links, number formatting per language
(through essor.core.formatting: rounded half-up, never truncated)."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.safestring import mark_safe

from essor.core import formatting
from essor.core.sections import render_sections

register = template.Library()
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (the language is the URL prefix)."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language_code)
    return url


@register.filter
def num(value, decimals: int = 0):
    """A number rounded to `decimals`, grouped in the page's language (fr 12 345,6); an em dash when unknown."""
    return formatting.format_number(value, int(decimals))


@register.filter
def pct(value, decimals: int = 1):
    """A share (0..1) as a percentage in the page's language (fr 9,6 %, en 9.6%); an em dash when unknown."""
    return formatting.format_percent(value, int(decimals))


@register.filter
def long_date(value):
    """A date written out in the page's language (fr « 1er novembre 2026 », en "Nov. 1, 2026")."""
    return formatting.long_date(value)


@register.simple_tag(takes_context=True)
def page_sections(context, pages, obj=None):
    """`{% page_sections "territory" ref %}`: the sections other apps registered for this page, in order
    (essor.core.sections)."""
    return mark_safe("\n".join(render_sections(pages, context.get("request"), obj)))  # noqa: S308


@register.filter
def ld_json(data):
    """A dict as the body of a <script type="application/ld+json"> block (`<`, `>`, `&` escaped as json_script
    does, so the data can never close the element)."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return mark_safe(text.translate(_JSON_ESCAPES))  # noqa: S308 - escaped above
