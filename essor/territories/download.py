"""`essor territories update`: fetch the newest official files, verify them, and lay them out for the loader.

Sources (configurable, see docs/settings.md):
- `decoupage`: the npm registry entry of @etalab/decoupage-administratif (`.../latest` metadata giving the
  tarball URL and its sha512 `integrity`), or a direct `.tgz` URL. The tarball's `package/data/*.json` are kept.
- `qpv2024`: the ANCT dataset on data.gouv.fr, through its API (`/api/1/datasets/<id or slug>/`, which lists the
  resources with URL, format and checksum): the newest GeoJSON resource is taken, its checksum verified; or a
  direct URL of a GeoJSON file.
- `qpv2024_population`: INSEE's QPV 2024 population file (CSV, XLSX or ZIP), when a URL is configured (none by
  default): saved under `qpv2024-population/`, read before anything is swapped, loaded in the same transaction as
  the reference (qpv_population.py).
The QPV 2015 sample has no upstream to follow: the vendored copy is used.

Files are written to a directory beside the destination and swapped in only once complete and verified.
"""

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from essor.territories import loader, qpv_population
from essor.territories.loader import LoadResult
from essor.territories.sources import DATA_DIR, DECOUPAGE_FILES, LoadError, read_features

DEFAULT_URLS = {
    "decoupage": "https://registry.npmjs.org/@etalab/decoupage-administratif/latest",
    "qpv2024": "https://www.data.gouv.fr/api/1/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/",
    "qpv2024_population": "",  # INSEE's file address could not be checked offline: configured by the operator
}
URL_SETTINGS = {
    "decoupage": "TERRITORIES_DECOUPAGE_URL",
    "qpv2024": "TERRITORIES_QPV2024_URL",
    "qpv2024_population": "TERRITORIES_QPV2024_POPULATION_URL",
}
TIMEOUT_SECONDS = 120
USER_AGENT = "essor (territorial reference update)"


class DownloadError(Exception):
    """A source could not be fetched or did not verify; names the URL."""


@dataclass
class FetchResult:
    directory: Path
    versions: dict = field(
        default_factory=dict
    )  # {"decoupage": "6.0.0", "qpv2024": "<resource last modified>"}


def configured_urls() -> dict:
    """Defaults, overridden by the TERRITORIES_URLS setting (ESSOR_TERRITORIES_URLS, a JSON object), then by the
    per-file settings TERRITORIES_DECOUPAGE_URL and TERRITORIES_QPV2024_URL (docs/settings.md)."""
    urls = dict(DEFAULT_URLS)
    overrides = settings.TERRITORIES_URLS
    if overrides:
        if not isinstance(overrides, dict) or not set(overrides) <= set(DEFAULT_URLS):
            raise DownloadError(
                f"ESSOR_TERRITORIES_URLS must be a JSON object with keys {sorted(DEFAULT_URLS)}."
            )
        urls.update(overrides)
    for key, name in URL_SETTINGS.items():
        if getattr(settings, name):
            urls[key] = getattr(settings, name)
    return urls


def default_destination() -> Path:
    return Path(settings.DATA_DIR) / "territories"


def http_get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (http(s) only, below)
    if not url.startswith(("http://", "https://")):
        raise DownloadError(f"{url}: only http(s) URLs are supported")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DownloadError(f"{url}: cannot download ({getattr(exc, 'reason', exc)})") from None


def _json(url: str, data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DownloadError(f"{url}: not a JSON document ({exc})") from None


def _verify_integrity(url: str, data: bytes, integrity: str | None, shasum: str | None) -> None:
    if integrity:
        algorithm, _sep, expected = integrity.partition("-")
        if algorithm not in ("sha512", "sha384", "sha256"):
            raise DownloadError(f"{url}: unsupported integrity algorithm {algorithm!r}")
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
        if actual != expected:
            raise DownloadError(f"{url}: integrity check failed ({algorithm} differs from the registry's)")
    elif shasum:
        if hashlib.sha1(data, usedforsecurity=False).hexdigest() != shasum:
            raise DownloadError(f"{url}: integrity check failed (sha1 differs from the registry's)")


def fetch_decoupage(url: str, dest: Path) -> str:
    """Write decoupage-administratif-<version>/*.json.gz under dest; returns the version."""
    if url.endswith((".tgz", ".tar.gz")):
        tarball_url, integrity, shasum, version = url, None, None, None
    else:
        meta = _json(url, http_get(url))
        if "versions" in meta and "dist-tags" in meta:  # the whole package document
            meta = meta["versions"][meta["dist-tags"]["latest"]]
        dist = meta.get("dist") or {}
        tarball_url, integrity, shasum = dist.get("tarball"), dist.get("integrity"), dist.get("shasum")
        version = meta.get("version")
        if not tarball_url:
            raise DownloadError(f"{url}: no dist.tarball in the registry metadata")
    data = http_get(tarball_url)
    _verify_integrity(tarball_url, data, integrity, shasum)
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")
        members = {member.name: member for member in archive.getmembers() if member.isfile()}

        def read(name: str) -> bytes:
            if name not in members:
                raise DownloadError(f"{tarball_url}: {name} is missing from the package")
            return archive.extractfile(members[name]).read()

        package = _json(tarball_url, read("package/package.json"))
        version = version or package.get("version") or "unknown"
        target = dest / f"decoupage-administratif-{version}"
        target.mkdir(parents=True)
        (target / "package.json").write_bytes(read("package/package.json"))
        for name in DECOUPAGE_FILES:
            content = read(f"package/data/{name}.json")
            if not isinstance(_json(f"{tarball_url} ({name}.json)", content), list):
                raise DownloadError(f"{tarball_url}: data/{name}.json is not a JSON list")
            (target / f"{name}.json.gz").write_bytes(gzip.compress(content, mtime=0))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DownloadError(f"{tarball_url}: not a valid npm tarball ({exc})") from None
    return version


def _pick_geojson_resource(url: str, dataset: dict) -> dict:
    candidates = [
        resource
        for resource in dataset.get("resources", [])
        if (resource.get("format") or "").lower() in ("geojson", "json")
        or (resource.get("url") or "").lower().endswith((".geojson", ".geojson.gz"))
    ]
    if not candidates:
        raise DownloadError(f"{url}: the dataset lists no GeoJSON resource")
    # Prefer the 2024 generation, then the most recently modified resource.
    candidates.sort(
        key=lambda r: ("2024" in (r.get("title") or ""), r.get("last_modified") or r.get("created_at") or ""),
        reverse=True,
    )
    return candidates[0]


def _verify_checksum(url: str, data: bytes, checksum: dict | None) -> None:
    if not checksum or not checksum.get("value"):
        return
    algorithm = (checksum.get("type") or "sha1").lower()
    if algorithm not in ("sha1", "sha256", "md5"):
        raise DownloadError(f"{url}: unsupported checksum type {algorithm!r}")
    if hashlib.new(algorithm, data, usedforsecurity=False).hexdigest() != checksum["value"].lower():
        raise DownloadError(f"{url}: checksum check failed ({algorithm} differs from data.gouv.fr's)")


def fetch_qpv2024(url: str, dest: Path) -> str:
    """Write qpv2024/<file>.geojson[.gz] under dest; returns the resource's date (or 'direct')."""
    data = http_get(url)
    version, file_url = "direct", url
    if not data.startswith(b"\x1f\x8b"):  # gzip: a GeoJSON file; else JSON: a dataset or a GeoJSON
        document = _json(url, data)
        if isinstance(document, dict) and "resources" in document:
            resource = _pick_geojson_resource(url, document)
            file_url = resource["url"]
            version = resource.get("last_modified") or resource.get("created_at") or "unknown"
            data = http_get(file_url)
            _verify_checksum(file_url, data, resource.get("checksum"))
    name = Path(file_url.split("?")[0]).name
    if not name.endswith((".geojson", ".geojson.gz")):
        name = "qpv2024.geojson.gz" if data.startswith(b"\x1f\x8b") else "qpv2024.geojson"
    target = dest / "qpv2024" / name
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    try:
        features, _epsg = read_features(target)
    except LoadError as exc:
        raise DownloadError(f"{file_url}: {exc.message}") from None
    if not features:
        raise DownloadError(f"{file_url}: the GeoJSON has no features")
    return version


def fetch_qpv_population(url: str, dest: Path) -> Path:
    """Write qpv2024-population/<file> under dest and check it reads as INSEE's layout; returns its path."""
    data = http_get(url)
    name = Path(url.split("?")[0]).name
    if not name.lower().endswith((".csv", ".xlsx", ".zip")):
        name = "qpv2024-population.zip" if data[:4] == b"PK\x03\x04" else "qpv2024-population.csv"
    target = dest / "qpv2024-population" / name
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    try:
        qpv_population.read_population_file(target)
    except LoadError as exc:
        raise DownloadError(f"{url}: {exc}") from None
    return target


def update_reference(
    dest=None, log=print, progress: bool = False, allow_removals: bool = False, dry_run: bool = False
) -> tuple[FetchResult, LoadResult]:
    """Download and verify every source beside `dest`, check it loads, then swap it in and load it.

    On any error (DownloadError or LoadError) `dest` and the database keep their previous content. A dry run
    stops short of the swap: it loads from the downloaded copy (the caller rolls that load back), then deletes it.
    """
    dest = Path(dest) if dest else default_destination()
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.parent / f".{dest.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    urls = configured_urls()
    started = time.monotonic()
    try:
        log(f"decoupage-administratif: {urls['decoupage']}")
        versions = {"decoupage": fetch_decoupage(urls["decoupage"], partial)}
        log(f"  version {versions['decoupage']}")
        log(f"QPV 2024: {urls['qpv2024']}")
        versions["qpv2024"] = fetch_qpv2024(urls["qpv2024"], partial)
        log(f"  {versions['qpv2024']}")
        population_file = None
        if urls.get("qpv2024_population"):
            log(f"QPV 2024 population: {urls['qpv2024_population']}")
            population_file = fetch_qpv_population(urls["qpv2024_population"], partial)
        shutil.copytree(DATA_DIR / "qp2015-occitanie", partial / "qp2015-occitanie")
        prepared = loader.prepare(partial, progress=progress)  # every check of a load, before any swap
        loader.check_removals(prepared, allow_removals=allow_removals)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for item in prepared.files:
        item["source"] = urls["decoupage" if item["role"].startswith("decoupage") else "qpv2024"]
        if item["role"].startswith("qp2015"):
            item["source"] = "vendored sample"
        if item["role"] == "qpv2024" and versions["qpv2024"] != "direct":
            item["version"] += f", {versions['qpv2024']}"
    if dry_run:
        try:
            prepared.source_dir = str(partial)
            result = _save(prepared, population_file, urls, progress, started, allow_removals)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        log(f"Files verified, not kept (dry run): {dest} is unchanged")
        return FetchResult(directory=dest, versions=versions), result
    previous = dest.parent / f".{dest.name}.previous-{os.getpid()}"
    if dest.exists():
        dest.rename(previous)
    partial.rename(dest)
    shutil.rmtree(previous, ignore_errors=True)
    log(f"Files verified and saved in {dest}")
    prepared.source_dir = str(dest)
    if population_file is not None:
        population_file = dest / population_file.relative_to(partial)
    result = _save(prepared, population_file, urls, progress, started, allow_removals)
    return FetchResult(directory=dest, versions=versions), result


def _save(prepared, population_file, urls, progress, started, allow_removals) -> LoadResult:
    with transaction.atomic():  # the reference and its population together, or neither
        result = loader.save(prepared, progress=progress, started=started, allow_removals=allow_removals)
        if population_file is not None:
            result.population_load = qpv_population.load_population(
                population_file, source=urls["qpv2024_population"], allow_removals=allow_removals
            )
    return result
