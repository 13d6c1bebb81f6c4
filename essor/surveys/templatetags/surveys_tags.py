"""Template helpers of the surveys: labels in the active language, anchors of fields, answers as text."""

from django import template
from django.utils.translation import get_language

from essor.surveys.definition import number_text, text_of

register = template.Library()


@register.simple_tag
def section_label(section) -> str:
    return section.text(get_language() or "fr")


@register.simple_tag
def question_label(question) -> str:
    return question.text(get_language() or "fr")


@register.simple_tag
def label_of(labels) -> str:
    return text_of(labels, get_language() or "fr")


@register.filter
def anchor(bound_field) -> str:
    """The id of the first input of a field (radio and checkbox groups number their inputs)."""
    widget = bound_field.field.widget
    if getattr(widget, "allow_multiple_selected", False) or widget.__class__.__name__ in ("RadioSelect",):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def answer_value(value) -> str:
    """A stored answer as text, numbers in the page's language (fr 1 234,5)."""
    return number_text(value)
