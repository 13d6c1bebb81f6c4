"""Download the current SIRENE files from their official addresses on data.gouv.fr.

The files are resolved through the data.gouv.fr dataset API (`{api}/datasets/{id}/` lists each resource with
its title, URL, size, checksum and last modification), never through hard-coded file paths: INSEE's old static
paths disappeared in 2026. Each file is downloaded into `<name>.part` (resumed with an HTTP Range request when a
previous attempt was interrupted), checked against the size and checksum the API gives, and only then renamed
to its final name: a file that is there is complete and verified.

The API base is `ESSOR_DATAGOUV_API` (default https://www.data.gouv.fr/api/1).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

DEFAULT_API = "https://www.data.gouv.fr/api/1"
SIRENE_DATASET = "5b7ffc618b4c4169d30727e0"  # Base Sirene des entreprises et de leurs établissements
GEOLOCALISATION_DATASET = "61d5e2d372a52d9f9411ff88"  # Géolocalisation des établissements ... statistiques
# Each wanted file, the dataset that lists it and the words that identify it in a resource's title or file name
# once both are folded (lower case, accents removed, only letters and digits kept): "Sirene : Fichier
# StockEtablissement - 01 septembre 2026 (format parquet)" and "stock-stocketablissement-parquet.parquet" both
# hold "stocketablissement"; "Sirene : Fichier géolocalisation établissements - septembre 2026" holds
# "geolocalisationetablissement".
WANTED = {
    "unites_legales": (SIRENE_DATASET, ("stockunitelegale",)),
    "etablissements": (SIRENE_DATASET, ("stocketablissement",)),
    "geolocalisation": (GEOLOCALISATION_DATASET, ("geolocalisationetablissement", "geolocetablissement")),
}
LABELS = {
    "unites_legales": "StockUniteLegale",
    "etablissements": "StockEtablissement",
    "geolocalisation": "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques",
}
# The same datasets list other files whose names contain the wanted words: never take them.
EXCLUDED_WORDS = ("historique", "liensuccession", "lienssuccession", "doublon", "documentation", "description",
                  "dessin", "variable", "schema")  # fmt: skip
FRENCH_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
                 "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}  # fmt: skip
FORMATS = {"parquet": ("parquet",), "csv": ("zip", "csv")}
OTHER_FORMAT = {"parquet": "csv", "csv": "parquet"}
CHUNK = 1 << 20
TIMEOUT = 60
USER_AGENT = "essor (SIRENE download; +https://github.com/)"

Progress = Callable[[str, int, int | None], None]  # (file name, bytes done, total or None)


class DownloadError(Exception):
    """A file could not be found, fetched or verified; the message says which and why."""


@dataclass
class Resource:
    role: str
    title: str
    url: str
    name: str
    size: int | None
    checksum_type: str | None
    checksum: str | None
    last_modified: str | None
    format: str = "parquet"  # parquet or csv (zipped CSV)
    preferred: bool = True  # False: the preferred format was missing, this is the fallback
    vintage: str | None = None  # from the title ("01 septembre 2026"), YYYY-MM-DD


def api_base() -> str:
    return (settings.DATAGOUV_API or DEFAULT_API).rstrip("/")


def _get_json(url: str) -> dict:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the API base is https or a test server)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise DownloadError(f"Cannot read the dataset description {url}: {exc}") from exc


def _file_name(url: str) -> str:
    return Path(urlparse(url).path).name


def _extension(resource: dict) -> str:
    name = _file_name(resource.get("url", "")).lower()
    for extension in ("parquet", "zip", "csv"):
        if name.endswith("." + extension):
            return extension
    return (resource.get("format") or "").lower()


def fold(text: str) -> str:
    """Lower case, accents removed, only letters and digits: the form every identification rule compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def role_of(title: str, name: str) -> str | None:
    """Which wanted file a resource (its title and file name) or a local file (its name) is, if any."""
    folded = fold(title) + " " + fold(name)
    if any(word in folded for word in EXCLUDED_WORDS):
        return None
    for role, (_, words) in WANTED.items():
        if any(word in folded for word in words):
            return role
    return None


def vintage_of(title: str) -> str | None:
    """'Sirene : Fichier StockEtablissement - 01 septembre 2026 (format parquet)' -> '2026-09-01' (the first
    day of the month when the title gives no day)."""
    words = re.findall(r"[0-9]+|[^\W\d_]+", unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore")
                       .decode().lower())  # fmt: skip
    for i, word in enumerate(words):
        month = FRENCH_MONTHS.get(word)
        if month and i + 1 < len(words) and re.fullmatch(r"20\d\d", words[i + 1]):
            day = int(words[i - 1]) if i and words[i - 1].isdigit() and 1 <= int(words[i - 1]) <= 31 else 1
            return f"{words[i + 1]}-{month:02d}-{day:02d}"
    return None


def _candidates(resources: list[dict], role: str, fmt: str) -> list[dict]:
    return [
        r for r in resources
        if role_of(r.get("title") or "", _file_name(r.get("url") or "")) == role and _extension(r) in FORMATS[fmt]
    ]  # fmt: skip


def resolve(fmt: str = "parquet", api: str | None = None) -> list[Resource]:
    """The three current resources, in the preferred format when the dataset has it, else in the other one
    (Parquet <-> zipped CSV); the most recently modified when several match."""
    if fmt not in FORMATS:
        raise DownloadError(f"Unknown format {fmt!r}: choose parquet or csv.")
    api = (api or api_base()).rstrip("/")
    datasets: dict[str, dict] = {}
    found = []
    for role, (dataset, _) in WANTED.items():
        if dataset not in datasets:
            datasets[dataset] = _get_json(f"{api}/datasets/{dataset}/")
        resources = datasets[dataset].get("resources", [])
        chosen_format, candidates = fmt, _candidates(resources, role, fmt)
        if not candidates:
            chosen_format, candidates = OTHER_FORMAT[fmt], _candidates(resources, role, OTHER_FORMAT[fmt])
        if not candidates:
            titles = "; ".join(r.get("title", "?") for r in resources)
            raise DownloadError(
                f"No {fmt} (nor {OTHER_FORMAT[fmt]}) resource for {LABELS[role]} in dataset {dataset} "
                f"({api}/datasets/{dataset}/). Resources: {titles}"
            )
        best = max(candidates, key=lambda r: (r.get("last_modified") or "", r.get("filesize") or 0))
        checksum = best.get("checksum") or {}
        found.append(
            Resource(
                role=role,
                title=best.get("title", ""),
                url=best["url"],
                name=_file_name(best["url"]) or f"{LABELS[role]}.{_extension(best)}",
                size=best.get("filesize"),
                checksum_type=(checksum.get("type") or None),
                checksum=(checksum.get("value") or None),
                last_modified=best.get("last_modified"),
                format=chosen_format,
                preferred=chosen_format == fmt,
                vintage=vintage_of(best.get("title", "")),
            )
        )
    return found


def _hash_file(path: Path, kind: str) -> str:
    digest = hashlib.new(kind)
    with path.open("rb") as handle:
        while block := handle.read(CHUNK * 8):
            digest.update(block)
    return digest.hexdigest()


def _fetch(resource: Resource, part: Path, progress: Progress | None) -> None:
    """Append the missing bytes of `resource` to `part` (resuming with a Range request when possible)."""
    have = part.stat().st_size if part.exists() else 0
    if resource.size is not None and have > resource.size:
        part.unlink()
        have = 0
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(resource.url, headers=headers)  # noqa: S310 (URL from the dataset API)
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and resource.size is not None and have == resource.size:
            return  # already complete
        raise DownloadError(f"{resource.name}: HTTP {exc.code} from {resource.url}") from exc
    except (urllib.error.URLError, TimeoutError) as exc:
        raise DownloadError(f"{resource.name}: cannot reach {resource.url}: {exc}") from exc
    with response:
        if have and response.status != 206:
            have = 0  # the server ignored the Range header: start again
        elif have:
            content_range = response.headers.get("Content-Range", "")
            if not content_range.startswith(f"bytes {have}-"):
                raise DownloadError(
                    f"{resource.name}: the server resumed at {content_range!r}, not byte {have}"
                )
        length = response.headers.get("Content-Length")
        total = resource.size or (have + int(length) if length else None)
        with part.open("ab" if have else "wb") as handle:
            done = have
            while block := response.read(CHUNK):
                handle.write(block)
                done += len(block)
                if progress:
                    progress(resource.name, done, total)


def _verify(resource: Resource, part: Path) -> None:
    size = part.stat().st_size
    if resource.size is not None and size != resource.size:
        part.unlink()
        raise DownloadError(
            f"{resource.name}: size mismatch, expected {resource.size} bytes (data.gouv.fr) but got {size}; "
            "the partial file was deleted, run the command again."
        )
    if resource.checksum and resource.checksum_type:
        kind = resource.checksum_type.lower().replace("-", "")
        if kind not in hashlib.algorithms_available:
            return
        actual = _hash_file(part, kind)
        if actual.lower() != resource.checksum.lower():
            part.unlink()
            raise DownloadError(
                f"{resource.name}: {kind} checksum mismatch, expected {resource.checksum} but got {actual}; "
                "the downloaded file was deleted, run the command again."
            )


def download(
    dest: Path, fmt: str = "parquet", api: str | None = None, progress: Progress | None = None
) -> list[tuple[Resource, Path, bool]]:
    """Fetch the three current files into `dest`; returns (resource, path, was_downloaded) for each."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    results = []
    for resource in resolve(fmt, api):
        final = dest / resource.name
        if final.exists() and _is_current(final, resource):
            results.append((resource, final, False))
            continue
        part = dest / f"{resource.name}.part"
        _fetch(resource, part, progress)
        _verify(resource, part)
        os.replace(part, final)  # atomic: a file under its final name is complete and verified
        _record(final, resource)
        results.append((resource, final, True))
    return results


def _manifest(final: Path) -> Path:
    return final.with_name(final.name + ".json")


def _record(final: Path, resource: Resource) -> None:
    _manifest(final).write_text(json.dumps(asdict(resource), indent=2, ensure_ascii=False), encoding="utf-8")


def _is_current(final: Path, resource: Resource) -> bool:
    """Already downloaded: same resource (URL and last modification) and same size."""
    try:
        recorded = json.loads(_manifest(final).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same = recorded.get("url") == resource.url and recorded.get("last_modified") == resource.last_modified
    return same and (resource.size is None or final.stat().st_size == resource.size)


def ingest_command_line(dest: Path) -> str:
    return f"essor sirene ingest --from {dest}"


def describe_choice(resource: Resource) -> str:
    """How the file was chosen, for the person running the command."""
    kind = "Parquet" if resource.format == "parquet" else "zipped CSV"
    why = "preferred format" if resource.preferred else "fallback: the preferred format is not published"
    return f"{LABELS[resource.role]}: {kind} ({why}) - {resource.title}"


def read_manifest(path: Path) -> dict:
    """What `download` recorded beside a file (title, URL, vintage...), or {} for a file put there by hand."""
    try:
        return json.loads(_manifest(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
