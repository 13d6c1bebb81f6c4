"""Which release answers: `?release=VINTAGE` (a kept older release, for citations that stay true), else the
serving one. Pages, charts and the API choose through here, so a permalink and the API agree."""

import datetime as dt

from django.urls import reverse

from essor.sirene.models import Release

LICENCE = {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
PARAMETER = "release"


class UnknownRelease(LookupError):
    def __init__(self, vintage: str):
        super().__init__(f"No kept release of vintage {vintage!r}.")
        self.vintage = vintage


def kept_vintages() -> list[str]:
    dates = Release.objects.kept().order_by("-vintage").values_list("vintage", flat=True).distinct()
    return [date.isoformat() for date in dates]


def requested_release(request) -> Release | None:
    """The release named by `?release=YYYY-MM-DD` (UnknownRelease when no kept release has that vintage), else
    the serving release (None before the first one)."""
    wanted = (request.GET.get(PARAMETER) or "").strip() if request is not None else ""
    if not wanted:
        return Release.objects.active()
    try:
        vintage = dt.date.fromisoformat(wanted)
    except ValueError:
        raise UnknownRelease(wanted) from None
    release = Release.objects.of_vintage(vintage)
    if release is None:
        raise UnknownRelease(wanted)
    return release


def is_current(release) -> bool:
    return bool(release and release.is_active)


def citation_json(release, absolute) -> dict:
    """What an API answer says about the release behind it: vintage, whether it serves, and where its method and
    licence are (`absolute` turns a path into a URL)."""
    return {
        "id": release.pk,
        "vintage": release.vintage.isoformat(),
        "synthetic": release.synthetic,
        "current": release.is_active,
        "methodology": absolute(reverse("core:methodology")),
        "licence": LICENCE,
    }
