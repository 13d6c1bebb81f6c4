"""An address to coordinates, through a geocoder answering like the Base Adresse Nationale API
(https://api-adresse.data.gouv.fr/search/?q=...&limit=1: a GeoJSON FeatureCollection whose features carry a
`label` and a `score`). Off by default (ESSOR_GEOCODER_URL empty): the lookup page then asks for coordinates.

Only the typed address is sent, nothing about the person; the answer is read as data (never as HTML).
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

MIN_SCORE = 0.4  # below that, BAN's best match is usually another street or town


class GeocoderUnavailable(Exception):
    """The geocoder did not answer, or answered something else than the expected GeoJSON."""


@dataclass(frozen=True)
class GeocodedAddress:
    label: str
    lon: float
    lat: float
    score: float | None


def enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def geocode(address: str) -> GeocodedAddress | None:
    """The best match of `address`, or None when the geocoder finds nothing close enough."""
    if not enabled():
        raise GeocoderUnavailable("no geocoder configured (ESSOR_GEOCODER_URL)")
    if not settings.GEOCODER_URL.startswith(("https://", "http://")):
        raise GeocoderUnavailable("ESSOR_GEOCODER_URL must be an http(s) address")
    query = urllib.parse.urlencode({"q": address.strip()[:200], "limit": 1})
    separator = "&" if "?" in settings.GEOCODER_URL else "?"
    url = f"{settings.GEOCODER_URL}{separator}{query}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310
            data = json.loads(response.read(1_000_000).decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise GeocoderUnavailable(str(exc)) from exc
    try:
        features = data.get("features") or []
        if not features:
            return None
        best = features[0]
        lon, lat = (float(value) for value in best["geometry"]["coordinates"][:2])
        properties = best.get("properties") or {}
        score = properties.get("score")
        score = float(score) if score is not None else None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise GeocoderUnavailable(f"unexpected answer: {exc}") from exc
    if score is not None and score < MIN_SCORE:
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeocoderUnavailable("coordinates out of range")
    return GeocodedAddress(label=str(properties.get("label") or address), lon=lon, lat=lat, score=score)
