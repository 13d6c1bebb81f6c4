"""Formatting of observatory table cells by kind of figure (a filter: an include per cell was the slowest part of
the profile page)."""

from django import template

from essor.core.templatetags.essor_tags import num, pct

register = template.Library()


@register.filter
def figure(value, kind: str = "int"):
    """int: 1 234; pct: 12,3 %; dec: 0,25; range: {"low", "high"} as 10–20 (or 10+ when unbounded)."""
    if kind == "pct":
        return pct(value)
    if kind == "dec":
        return num(value, 2)
    if kind == "range":
        if not value:
            return num(None)
        high = value.get("high")
        return f"{num(value.get('low'))}–{num(high)}" if high is not None else f"{num(value.get('low'))}+"
    return num(value)
