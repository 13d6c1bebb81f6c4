from django import template

register = template.Library()


@register.filter
def edition_title(edition, lang: str) -> str:
    return edition.title(lang)
