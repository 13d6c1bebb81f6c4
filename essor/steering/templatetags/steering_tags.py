from django import template

from essor.steering import presentation

register = template.Library()


@register.filter
def indicator_value(value, unit="count"):
    return presentation.indicator_value(value, unit)


@register.filter
def share(value):
    return presentation.percent(value)


@register.filter
def completion(value):
    """A completion in percent (0–100) as a share of 1."""
    return presentation.percent(value / 100 if value is not None else None)


@register.filter
def euros(value):
    return presentation.amount(value)


@register.filter
def status_label(status):
    return presentation.status_text(status)
