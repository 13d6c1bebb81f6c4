"""Bilingual content fields: a `title_fr` / `title_en` pair read in the active language, French as fallback.

Usage on a model::

    class Module(models.Model):
        title_fr = models.CharField(...)
        title_en = models.CharField(..., blank=True)
        title = translated("title")
"""

from django.utils.translation import get_language

FALLBACK_LANGUAGE = "fr"


def pick(obj, field: str, language: str | None = None) -> str:
    """The value of `field_<language>` on obj, or the French one when that is empty."""
    language = (language or get_language() or FALLBACK_LANGUAGE)[:2]
    value = getattr(obj, f"{field}_{language}", "") if language != FALLBACK_LANGUAGE else ""
    return value or getattr(obj, f"{field}_{FALLBACK_LANGUAGE}", "")


class translated:  # lower case: used like a field declaration
    """A read-only attribute returning the field in the active language (French fallback)."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return pick(obj, self.field)
