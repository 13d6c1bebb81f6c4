"""Formatting of observatory table cells by kind of figure (a filter: an include per cell was the slowest part of
the profile page). Numbers go through essor.core.formatting."""

from django import template
from django.template.loader import render_to_string

from essor.core import formatting
from essor.observatory.qpv_comparison import qpv_section

register = template.Library()


@register.filter
def figure(value, kind: str = "int"):
    """int: 1 234; pct: 12,3 %; dec: 0,25; range: {"low", "high"} as 10–20 (or 10+ when unbounded)."""
    if kind == "text":
        return value
    if kind == "pct":
        return formatting.format_percent(value)
    if kind == "dec":
        return formatting.format_number(value, 2)
    if kind == "range":
        if not value:
            return formatting.UNKNOWN
        return formatting.format_range(value.get("low"), value.get("high"))
    return formatting.format_number(value)


@register.simple_tag(takes_context=True)
def qpv_comparison_section(context, scope):
    """The QPV page's comparison section on the observatory's own fact-sheet page (same template and context)."""
    section = qpv_section(context.get("request"), scope)
    if section is None:
        return ""
    return render_to_string("observatory/_qpv_comparison.html", section, request=context.get("request"))


@register.filter
def isodate(value):
    """'2019-03-12' (the API's ISO date) as a date, to show with |date:"DATE_FORMAT" in the page's language."""
    import datetime

    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@register.filter
def field(row: dict, key: str):
    """row[key] in a template (a table whose columns come from the view)."""
    return row.get(key)
