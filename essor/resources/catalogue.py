"""Load the real catalogue (ressources.csv, experiences.csv) into the database, idempotently, with provenance.

Both files are validated completely before anything is written (a `CatalogueError` names the file, line and field);
the writes happen in one transaction. Rows are keyed by a slug of their title: a re-run with the same files changes
nothing and says so; a row that disappeared from the file is unpublished (counted as `withdrawn`), never deleted.
A load that would withdraw more than MAX_WITHDRAWN_SHARE of the published catalogue rows of a file (a header-only or
truncated file) is refused unless the operator allows it (`--allow-removals`, allow_removals=True).
"""

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from essor.resources import places
from essor.resources.models import Audience, CatalogueImport, Experience, Origin, Resource, Theme
from essor.resources.vocabulary import (
    AUDIENCE_CODES,
    FORMAT_BY_KIND,
    KIND_CODES,
    THEMES,
    ResourceFormat,
    ensure_vocabularies,
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
MAX_WITHDRAWN_SHARE = 0.10

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


@dataclass
class LoadReport:
    files: list[dict]
    counts: dict
    unmatched_territories: list[str]
    without_point: int
    changed: bool

    def lines(self) -> list[str]:
        out = [f"{f['name']}: {f['rows']} rows, sha256 {f['sha256'][:12]}…" for f in self.files]
        for kind, c in self.counts.items():
            out.append(
                f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
                f"{c['withdrawn']} withdrawn"
            )
        if self.unmatched_territories:
            out.append(
                f"territories not matched ({len(self.unmatched_territories)}): "
                + "; ".join(self.unmatched_territories[:5])
            )
        out.append(f"experiences without a map point: {self.without_point}")
        out.append("changed" if self.changed else "nothing changed: the catalogue was already up to date")
        return out


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
            "url": _url(name, line, "url", r["url"]),
            "seen_at": r["vu_dans"],
            "source_file": name,
            "source_line": line,
        }
        rows.append(
            Row(
                line,
                values,
                [AUDIENCE_CODES[c] for c in _codes(name, line, "publics", r["publics"], AUDIENCE_CODES)],
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
            "url": _url(name, line, "url", r["url"]),
            "seen_at": r["vu_dans"],
            "source_file": name,
            "source_line": line,
        }
        rows.append(
            Row(
                line,
                values,
                [AUDIENCE_CODES[c] for c in _codes(name, line, "publics", r["publics"], AUDIENCE_CODES)],
            )
        )
    return rows


def _file_info(path: Path, rows: int) -> dict:
    return {
        "name": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "size": path.stat().st_size,
        "rows": rows,
    }


def _upsert(model, rows: list[Row], progress=None) -> dict:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "withdrawn": 0}
    audiences = {a.slug: a for a in Audience.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    existing = {obj.slug: obj for obj in model.objects.prefetch_related("audiences", "themes")}
    for row in rows:
        values = dict(row.values, origin=Origin.CATALOGUE, is_demo=False, published=True)
        obj = existing.get(values["slug"])
        if obj is None:
            obj = model.objects.create(**values)
            counts["created"] += 1
            changed = True
        else:
            # A line number shifts when a row above is added or removed: kept current, not counted as an update.
            changed = any(getattr(obj, k) != v for k, v in values.items() if k != "source_line")
            if changed or obj.source_line != values["source_line"]:
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save()
        m2m_changed = False
        for relation, wanted, vocabulary in (
            ("audiences", row.audiences, audiences),
            ("themes", row.themes, themes),
        ):
            current = {x.slug for x in getattr(obj, relation).all()}
            if current != set(wanted):
                getattr(obj, relation).set([vocabulary[s] for s in wanted])
                m2m_changed = True
        if obj.slug in existing:
            counts["updated" if changed or m2m_changed else "unchanged"] += 1
        if progress:
            progress.advance()
    loaded = {row.values["slug"] for row in rows}
    withdrawn = model.objects.filter(origin=Origin.CATALOGUE, published=True).exclude(slug__in=loaded)
    for obj in withdrawn:
        obj.published = False
        obj.save()
        counts["withdrawn"] += 1
    return counts


def _locate(progress=None) -> tuple[int, bool]:
    """Set each catalogue experience's map point from the territorial reference; (without point, changed)."""
    from essor.territories.models import Qpv

    reference_loaded = Qpv.objects.exists()
    without, changed = 0, False
    for experience in Experience.objects.filter(origin=Origin.CATALOGUE):
        point = places.qpv_centre(experience.territory_id) if reference_loaded else None
        lon, lat = point or (None, None)
        if (experience.longitude, experience.latitude) != (lon, lat):
            experience.longitude, experience.latitude = lon, lat
            experience.save()
            changed = True
        without += point is None
    return without, changed


def _link_organisations() -> None:
    """Link carrying/partner organisations whose name is exactly one of the accounts' organisations."""
    from essor.accounts.models import Organisation

    by_name = {o.name: o for o in Organisation.objects.all()}
    if not by_name:
        return
    for experience in Experience.objects.filter(origin=Origin.CATALOGUE):
        for text, relation in (
            (experience.carrier, "carrying_organisations"),
            (experience.partners, "partner_organisations"),
        ):
            names = [n.strip() for n in text.split(";")]
            found = [by_name[n] for n in names if n in by_name]
            if found:
                getattr(experience, relation).add(*found)


def check_withdrawals(file_name: str, model, rows: list[Row]) -> None:
    """CatalogueError when loading `rows` would unpublish more than MAX_WITHDRAWN_SHARE of the published ones."""
    published = set(
        model.objects.filter(origin=Origin.CATALOGUE, published=True).values_list("slug", flat=True)
    )
    withdrawn = len(published - {row.values["slug"] for row in rows})
    if published and withdrawn > MAX_WITHDRAWN_SHARE * len(published):
        raise CatalogueError(
            file_name,
            None,
            None,
            f"this load would withdraw {withdrawn} of the {len(published)} published rows "
            f"({withdrawn / len(published):.0%}; at most {MAX_WITHDRAWN_SHARE:.0%} in one load). Is the file "
            "truncated or the wrong one? If the withdrawal is intended, run it again with --allow-removals",
        )


def load_real_catalogue(
    source_dir: Path | str | None = None, progress=None, *, allow_removals: bool = False
) -> LoadReport:
    """Validate then load both files; `progress` (optional) has start(label, total) and advance()."""
    directory = Path(source_dir) if source_dir else DEFAULT_DIR
    resource_rows = parse_resources(directory / RESOURCES_FILE)
    experience_rows = parse_experiences(directory / EXPERIENCES_FILE)
    files = [
        _file_info(directory / RESOURCES_FILE, len(resource_rows)),
        _file_info(directory / EXPERIENCES_FILE, len(experience_rows)),
    ]
    with transaction.atomic():
        if not allow_removals:
            check_withdrawals(RESOURCES_FILE, Resource, resource_rows)
            check_withdrawals(EXPERIENCES_FILE, Experience, experience_rows)
        ensure_vocabularies()
        counts = {}
        for key, model, rows in (
            ("resources", Resource, resource_rows),
            ("experiences", Experience, experience_rows),
        ):
            if progress:
                progress.start(key, len(rows))
            counts[key] = _upsert(model, rows, progress)
        without_point, points_changed = _locate()
        _link_organisations()
        last = CatalogueImport.objects.first()
        files_changed = last is None or [f["sha256"] for f in last.files] != [f["sha256"] for f in files]
        changed = (
            files_changed
            or points_changed
            or any(c["created"] or c["updated"] or c["withdrawn"] for c in counts.values())
        )
        if changed:
            CatalogueImport.objects.create(
                source_dir=str(directory), files=files, counts=counts, changed=True
            )
    unmatched = [
        r.values["territory_label"]
        for r in experience_rows
        if r.values["territory_label"] and not r.values["territory_id"]
    ]
    return LoadReport(files, counts, unmatched, without_point, changed)
