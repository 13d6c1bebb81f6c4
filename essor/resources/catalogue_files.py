"""The real catalogue's two files (ressources.csv, experiences.csv), read and validated row by row.

Every check happens here, before anything is written: a `CatalogueError` names the file, the line and the field.
`catalogue.py` then writes the rows it is given.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from essor.resources import places
from essor.resources.vocabulary import (
    AUDIENCE_CODES,
    FORMAT_BY_KIND,
    KIND_CODES,
    THEMES,
    ResourceFormat,
    experience_format,
)

DEFAULT_DIR = Path(__file__).resolve().parent / "data"
RESOURCES_FILE = "ressources.csv"
EXPERIENCES_FILE = "experiences.csv"
RESOURCE_COLUMNS = [
    "titre",
    "editeur",
    "annee",
    "type",
    "themes",
    "publics",
    "langue",
    "url",
    "resume_fr",
    "resume_en",
    "vu_dans",
]
EXPERIENCE_COLUMNS = [
    "titre",
    "territoire",
    "porteur",
    "partenaires",
    "periode",
    "publics",
    "format",
    "description_fr",
    "description_en",
    "url",
    "vu_dans",
]
THEME_CODES = {slug for slug, _fr, _en in THEMES}
LANGUAGE = re.compile(r"^[a-z]{2}$")
YEAR = re.compile(r"^(19|20)\d\d$")
PERIOD = re.compile(r"^(?P<start>(19|20)\d\d)(?P<open>-)?(?P<end>(19|20)\d\d)?(\s*\(.*\))?$")
SLUG_LENGTH = 110

# A catalogue cell is a title, a summary or a URL: far below csv's default limit of 131,072 characters.
FIELD_LIMIT = 131_072


class CatalogueError(ValueError):
    def __init__(self, file: str, line: int | None, column: str | None, message: str):
        where = ", ".join(
            part
            for part in (file, f"line {line}" if line else "", f"field '{column}'" if column else "")
            if part
        )
        super().__init__(f"{where}: {message}")
        self.file, self.line, self.column, self.message = file, line, column, message


@dataclass
class Row:
    line: int
    values: dict
    audiences: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


def _read(path: Path, columns: list[str]):
    """Yield (line number, row) from a UTF-8 CSV, after checking its header."""
    name = path.name
    if not path.is_file():
        raise CatalogueError(name, None, None, f"file not found in {path.parent}")
    # utf-8-sig: a byte-order mark (as spreadsheets write it) is accepted and is not part of the first column name.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        line = 1
        try:
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogueError(name, 1, missing[0], f"missing column(s): {', '.join(missing)}")
            line = 2
            for row in reader:
                # Checked here, not left to csv.field_size_limit(): that limit is process-wide and another
                # reader (qpv locate --csv reads long fields) may have raised it.
                too_long = next(
                    (k for k, v in row.items() if isinstance(v, str) and len(v) > FIELD_LIMIT), None
                )
                if too_long is not None:
                    raise CatalogueError(
                        name, line, too_long, f"field larger than field limit ({FIELD_LIMIT:,} characters)"
                    )
                yield line, {k: (v or "").strip() for k, v in row.items() if k}
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise CatalogueError(
                name, line, None, "not UTF-8 text (Latin-1 or Windows-1252?): save the file as UTF-8"
            ) from None
        except (
            csv.Error
        ) as exc:  # e.g. a field over csv.field_size_limit(): a 10 MB line is not a catalogue row
            raise CatalogueError(name, line, None, f"unreadable CSV ({exc})") from None
        if line == 2:
            raise CatalogueError(
                name, None, None, "no data rows (only a header): refusing an empty catalogue"
            )


def _codes(name, line, column, value, allowed) -> list[str]:
    codes = [c.strip() for c in value.split(";") if c.strip()]
    for code in codes:
        if code not in allowed:
            raise CatalogueError(
                name, line, column, f"unknown code '{code}' (expected one of: {', '.join(sorted(allowed))})"
            )
    return codes


def _url(name, line, column, value) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise CatalogueError(name, line, column, f"not a valid http(s) URL: '{value}'") from None
    return value


def _slug(name, line, title, seen: dict) -> str:
    if not title:
        raise CatalogueError(name, line, "titre", "a title is required")
    slug = slugify(title)[:SLUG_LENGTH].strip("-")
    if slug in seen:
        raise CatalogueError(name, line, "titre", f"same title as line {seen[slug]}")
    seen[slug] = line
    return slug


def _provenance(name, line, r) -> dict:
    """The columns both files share: the link, where the row was seen, and which file and line it came from."""
    return {
        "url": _url(name, line, "url", r["url"]),
        "seen_at": r["vu_dans"],
        "source_file": name,
        "source_line": line,
    }


def _audiences(name, line, r) -> list[str]:
    return [AUDIENCE_CODES[c] for c in _codes(name, line, "publics", r["publics"], AUDIENCE_CODES)]


def parse_resources(path: Path) -> list[Row]:
    name, rows, seen = path.name, [], {}
    for line, r in _read(path, RESOURCE_COLUMNS):
        slug = _slug(name, line, r["titre"], seen)
        if r["type"] not in KIND_CODES:
            raise CatalogueError(
                name, line, "type", f"unknown type '{r['type']}' (expected one of: {', '.join(KIND_CODES)})"
            )
        if r["annee"] and not YEAR.match(r["annee"]):
            raise CatalogueError(name, line, "annee", f"not a year: '{r['annee']}'")
        languages = [c.strip() for c in r["langue"].split(";") if c.strip()] or ["fr"]
        for code in languages:
            if not LANGUAGE.match(code):
                raise CatalogueError(name, line, "langue", f"not a two-letter language code: '{code}'")
        if not r["resume_fr"]:
            raise CatalogueError(name, line, "resume_fr", "a French summary is required")
        kind = KIND_CODES[r["type"]]
        values = {
            "slug": slug,
            "title_fr": r["titre"],
            "summary_fr": r["resume_fr"],
            "summary_en": r["resume_en"],
            "kind": kind,
            "format": FORMAT_BY_KIND.get(kind, ResourceFormat.DOCUMENT),
            "languages": ",".join(languages),
            "author": r["editeur"],
            "year": int(r["annee"]) if r["annee"] else None,
            **_provenance(name, line, r),
        }
        rows.append(
            Row(
                line,
                values,
                _audiences(name, line, r),
                _codes(name, line, "themes", r["themes"], THEME_CODES),
            )
        )
    return rows


def parse_period(value: str) -> tuple[int | None, int | None]:
    """'2015-2020' -> (2015, 2020); '2013-' -> (2013, None) (ongoing); '2015 (6 novembre)' -> (2015, 2015)."""
    match = PERIOD.match(value)
    if not match:
        raise ValueError(value)
    start = int(match["start"])
    if match["end"]:
        return start, int(match["end"])
    return start, None if match["open"] else start


def parse_experiences(path: Path) -> list[Row]:
    name, rows, seen = path.name, [], {}
    for line, r in _read(path, EXPERIENCE_COLUMNS):
        slug = _slug(name, line, r["titre"], seen)
        start = end = None
        if r["periode"]:
            try:
                start, end = parse_period(r["periode"])
            except ValueError:
                raise CatalogueError(
                    name, line, "periode", f"not a period such as 2015, 2015-2020 or 2013-: '{r['periode']}'"
                ) from None
        if not r["description_fr"]:
            raise CatalogueError(name, line, "description_fr", "a French description is required")
        place = places.match_territory(r["territoire"])
        values = {
            "slug": slug,
            "title_fr": r["titre"],
            "summary_fr": r["description_fr"],
            "summary_en": r["description_en"],
            "territory_label": r["territoire"],
            "territory_id": place.identifier,
            "region_code": place.region_code,
            "period_label": r["periode"],
            "start_year": start,
            "end_year": end,
            "carrier": r["porteur"],
            "partners": r["partenaires"],
            "format_label": r["format"],
            "format": experience_format(r["format"]),
            **_provenance(name, line, r),
        }
        rows.append(Row(line, values, _audiences(name, line, r)))
    return rows
