"""Template helpers shared by every app: language switch links, number formatting per language."""

from django import template
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from essor.core.sections import render_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (the language is the URL prefix)."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language_code)
    return url


@register.filter
def num(value, decimals: int = 0):
    """A number with the page language's grouping and decimal separators; an em dash when unknown."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def pct(value, decimals: int = 1):
    """A share (0..1) as a percentage in the page's language; an em dash when unknown."""
    if value is None or value == "":
        return "—"
    return number_format(value * 100, decimal_pos=decimals, use_l10n=True, force_grouping=True) + "\u00a0%"


@register.simple_tag(takes_context=True)
def page_sections(context, pages, obj=None):
    """`{% page_sections "territory" ref %}`: the sections other apps registered for this page, in order
    (essor.core.sections)."""
    return mark_safe("\n".join(render_sections(pages, context.get("request"), obj)))  # noqa: S308
