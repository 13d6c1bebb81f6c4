"""Load the real catalogue (ressources.csv, experiences.csv) into the database, idempotently, with provenance.

Both files are validated completely before anything is written (`catalogue_files.py`: a `CatalogueError` names the
file, line and field); the writes happen in one transaction. Rows are keyed by a slug of their title: a re-run with
the same files changes nothing and says so; a row that disappeared from the file is unpublished (counted as
`withdrawn`), never deleted. A load that would withdraw more than MAX_WITHDRAWN_SHARE of the published catalogue rows
of a file (a header-only or truncated file) is refused unless the operator allows it (`--allow-removals`,
allow_removals=True).
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from essor.resources import places
from essor.resources.catalogue_files import (
    DEFAULT_DIR,
    EXPERIENCES_FILE,
    RESOURCES_FILE,
    CatalogueError,
    Row,
    parse_experiences,
    parse_period,
    parse_resources,
)
from essor.resources.models import Audience, CatalogueImport, Experience, Origin, Resource, Theme
from essor.resources.vocabulary import ensure_vocabularies

__all__ = ["DEFAULT_DIR", "CatalogueError", "LoadReport", "load_real_catalogue", "parse_period"]

MAX_WITHDRAWN_SHARE = 0.10


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
