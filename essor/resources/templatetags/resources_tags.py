"""Mark content shown in French on an English page (no translation yet) with lang="fr", for screen readers."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def fallback_lang(obj, field: str) -> str:
    language = (get_language() or "fr")[:2]
    if language != "fr" and not getattr(obj, f"{field}_{language}", ""):
        return mark_safe(' lang="fr"')  # a constant
    return ""


@register.simple_tag
def french_content() -> str:
    """For fields kept in French only (authors, places and periods as described, organisations, comments of the
    catalogue): lang="fr" on a page in another language."""
    if (get_language() or "fr")[:2] != "fr":
        return mark_safe(' lang="fr"')  # a constant
    return ""
