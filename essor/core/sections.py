"""The registry of page sections: how an upper app puts its part on a page owned by a lower app.

A territory page belongs to `territories`, yet the observatory, the trainings, the surveys, the study and the
steering each show something there. None of them may be imported by `territories` (one way down, see
docs/architecture.md), so each registers its section here from its `AppConfig.ready()`:

    from essor.core import sections

    sections.register(
        "territory", key="observatory", order=200,
        template="observatory/_territory_section.html",
        context=observatory_section,        # (request, obj) -> dict, or None to leave the section out
    )

and the page renders whatever is registered, in `order`, with `{% page_sections "territory" ref %}` (or
`render_sections` from Python). Pages: "territory" (every territory page, obj = the TerritoryRef), "qpv" (QPV
pages only, rendered together with "territory"), "home" (obj = None), "methodology" (obj = None).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PAGES = ("territory", "qpv", "home", "methodology")

SectionContext = Callable[[HttpRequest | None, object], dict | None]


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template: str
    context: SectionContext


_registry: dict[str, dict[str, Section]] = {page: {} for page in PAGES}


def register(page: str, *, key: str, order: int, template: str, context: SectionContext) -> None:
    """Add a section to a page. Registering the same key again replaces it (ready() may run twice in tests);
    an unknown page is a programming error, raised at start-up rather than silently never shown."""
    if page not in _registry:
        raise ValueError(f"Unknown page {page!r}; pages are {', '.join(PAGES)}")
    _registry[page][key] = Section(page=page, key=key, order=order, template=template, context=context)


def unregister(page: str, key: str) -> None:
    _registry[page].pop(key, None)


def sections_of(pages: str | Iterable[str]) -> list[Section]:
    """The sections of one page (or of several rendered together), by order then key."""
    names = [pages] if isinstance(pages, str) else list(pages)
    found = [section for name in names for section in _registry[name].values()]
    return sorted(found, key=lambda section: (section.order, section.key))


def render_sections(pages: str | Iterable[str], request: HttpRequest | None, obj: object) -> list[SafeString]:
    """Each shown section rendered with its own context (plus `section`), in order."""
    rendered = []
    for section in sections_of(pages):
        context = section.context(request, obj)
        if context is None:
            continue
        context = {**context, "section": section}
        html = (
            render_to_string(section.template, context, request=request)
            if request is not None
            else render_to_string(section.template, context)
        )
        rendered.append(mark_safe(html))  # noqa: S308 — the output of a template, escaped by Django
    return rendered
