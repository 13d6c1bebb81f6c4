"""Where the reference files are in a source directory, how to read them, and their fingerprints.

A source directory has the layout of `essor/territories/data/` (the vendored copy), which is also what
`essor territories update` writes:

    decoupage-administratif-<version>/   regions, departements, communes, epci, ept (.json or .json.gz)
                                          and package.json (npm package @etalab/decoupage-administratif)
    qpv2024/                              one GeoJSON (.geojson or .geojson.gz): the QPV 2024 contours (ANCT)
    qp2015-<anything>/                    a GeoJSON of QPV 2015 contours and a `*caracteristiques*.csv`
"""

import csv
import gzip
import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DECOUPAGE_FILES = ("regions", "departements", "communes", "epci", "ept")


class LoadError(Exception):
    """Bad input: names the file and, when known, the record; nothing has been written."""

    def __init__(self, file, message: str, record: str | None = None):
        self.file = str(file)
        self.record = record
        self.message = message
        where = f"{self.file}, {record}" if record else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceFiles:
    root: Path
    decoupage: dict[str, Path]  # regions, departements, communes, epci, ept
    package_json: Path | None
    qpv2024: Path
    qp2015_geojson: Path
    qp2015_csv: Path

    def all_files(self) -> list[tuple[str, Path]]:
        """(role, path) of every file the load reads, for provenance."""
        files = [(f"decoupage:{name}", path) for name, path in self.decoupage.items()]
        if self.package_json:
            files.append(("decoupage:package", self.package_json))
        files += [
            ("qpv2024", self.qpv2024),
            ("qp2015", self.qp2015_geojson),
            ("qp2015:population", self.qp2015_csv),
        ]
        return files


def _one(root: Path, pattern: str, what: str, exclude: str | None = None) -> Path:
    matches = sorted(p for p in root.glob(pattern) if not (exclude and p.match(exclude)))
    if not matches:
        raise LoadError(root / pattern, f"missing file: {what} not found")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise LoadError(root / pattern, f"{what}: several candidates ({names}); keep only one")
    return matches[0]


def locate_sources(source_dir) -> SourceFiles:
    root = Path(source_dir)
    if not root.is_dir():
        raise LoadError(root, "the source directory does not exist")
    decoupage_dir = _one(root, "decoupage-administratif*", "the decoupage-administratif directory")
    decoupage = {}
    for name in DECOUPAGE_FILES:
        candidates = [decoupage_dir / f"{name}.json.gz", decoupage_dir / f"{name}.json"]
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            raise LoadError(candidates[0], f"missing file: {name}.json.gz (or {name}.json) not found")
        decoupage[name] = found
    package_json = decoupage_dir / "package.json"
    qpv2024 = _one(root, "qpv2024/*.geojson*", "the QPV 2024 GeoJSON")
    qp2015_dir = _one(root, "qp2015*", "the QPV 2015 directory")
    return SourceFiles(
        root=root,
        decoupage=decoupage,
        package_json=package_json if package_json.is_file() else None,
        qpv2024=qpv2024,
        qp2015_geojson=_one(qp2015_dir, "*.geojson*", "the QPV 2015 GeoJSON"),
        qp2015_csv=_one(
            qp2015_dir, "*caracteristiques*.csv", "the QPV 2015 characteristics CSV", exclude="dictionnaire*"
        ),
    )


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.name.endswith(".gz") else data
    except FileNotFoundError:
        raise LoadError(path, "missing file") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(path, f"not a valid gzip file ({exc})") from None


def decode_utf8(path: Path, data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else (Latin-1, Windows-1252) names the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            record=f"line {line}",
        ) from None


def read_json(path: Path):
    try:
        return json.loads(decode_utf8(path, read_bytes(path)))
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def read_records(path: Path) -> list[dict]:
    """A decoupage-administratif file: a JSON list of objects."""
    data = read_json(path)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise LoadError(path, "wrong format: expected a JSON list of objects (decoupage-administratif)")
    return data


def read_features(path: Path) -> tuple[list[dict], int | None]:
    """A GeoJSON FeatureCollection: its features and the EPSG code it declares (None means WGS84)."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or "features" not in data:
        raise LoadError(path, "wrong format: expected a GeoJSON FeatureCollection")
    features = data["features"]
    if not isinstance(features, list) or not all(isinstance(item, dict) for item in features):
        raise LoadError(path, "wrong format: `features` must be a list of GeoJSON features")
    if not features:
        raise LoadError(path, "no features: an empty FeatureCollection is never a valid set of contours")
    return features, _declared_epsg(data.get("crs"), path)


def _declared_epsg(crs, path: Path) -> int | None:
    """GeoJSON 2008 `crs` member: WGS84 (CRS84/4326) or Lambert-93 (2154) as sometimes published."""
    if not crs:
        return None
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if name.endswith("CRS84") or name.endswith("4326"):
        return None
    if name.endswith("2154"):
        return 2154
    raise LoadError(path, f"unsupported coordinate reference system {name!r} (expected WGS84 or EPSG:2154)")


def read_csv(path: Path, required: tuple[str, ...] = ()) -> list[dict]:
    """The rows of a UTF-8 CSV (',' or ';', BOM or not) having the `required` columns and at least one row."""
    text = decode_utf8(path, read_bytes(path))
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit() (a 10 MB line): not the expected file
        raise LoadError(path, f"unreadable CSV ({exc})", record=f"line {reader.line_num}") from None
    # Checked here, not only by csv.field_size_limit(): that limit is process-wide and `qpv locate --csv` raises it.
    for number, row in enumerate(rows, start=2):
        if any(isinstance(value, str) and len(value) > 131_072 for value in row.values()):
            raise LoadError(
                path, "unreadable CSV (field larger than field limit (131072))", record=f"line {number}"
            )
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise LoadError(path, f"wrong format: column(s) {', '.join(missing)} missing (header: {header})")
    if not rows:
        raise LoadError(path, "no data rows (only a header): refusing to load an empty file")
    return rows


def fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def decoupage_version(sources: SourceFiles) -> str:
    if sources.package_json is None:
        return sources.decoupage["communes"].parent.name.removeprefix("decoupage-administratif-") or "unknown"
    data = read_json(sources.package_json)
    return str(data.get("version", "unknown")) if isinstance(data, dict) else "unknown"
