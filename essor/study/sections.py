"""The study's section on territory pages: an authority with a fact sheet in a published edition links to it."""

from django.utils import translation

from essor.core import sections
from essor.study.models import Edition


def factsheet_links(request, ref) -> dict | None:
    identifier = f"{ref.kind}:{ref.code}"
    if ref.kind != "epci":
        return None
    # Few editions exist (a handful per study); which authorities have a sheet is in each frozen snapshot.
    editions = Edition.objects.published().select_related("study")
    lang = translation.get_language() or "fr"
    links = []
    for edition in editions.order_by("-published_at"):
        if any(sheet["identifier"] == identifier for sheet in edition.snapshot.get("factsheets", [])):
            links.append({"edition": edition, "title": edition.title(lang[:2])})
    return {"links": links, "identifier": identifier} if links else None


def register() -> None:
    sections.register(
        "territory", key="study", order=400, template="study/_territory_section.html", context=factsheet_links
    )
    register_home()


def home_entry(request, _obj) -> dict | None:
    editions = list(Edition.objects.published().select_related("study").order_by("-published_at")[:3])
    if not editions:
        return None
    lang = (translation.get_language() or "fr")[:2]
    return {"editions": [{"edition": e, "title": e.title(lang)} for e in editions]}


def register_home() -> None:
    sections.register("home", key="study", order=400, template="study/_home_section.html", context=home_entry)
