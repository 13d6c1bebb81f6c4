"""`essor sirene ingest --from DIR`: find the three input files in a folder as `essor sirene download` left it.

Files are recognised by the same rule as the download (essor.sirene.download.role_of: the title recorded by the
download, else the file name, folded to lower-case letters and digits; historique, liens de succession, doublons
and documentation excluded). Where a role has a Parquet file and a zipped CSV, Parquet is taken; two files of the
same format for one role is an error naming both. The vintage comes from the titles ("01 septembre 2026").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from essor.sirene import formats
from essor.sirene.download import LABELS, read_manifest, role_of

FORMAT_PREFERENCE = ("parquet", "zip", "csv.gz", "csv")


@dataclass
class Folder:
    paths: dict[str, Path] = field(default_factory=dict)
    vintage: dt.date | None = None
    ignored: list[str] = field(default_factory=list)


def _format(path: Path) -> str | None:
    try:
        return formats.detect_format(path)
    except formats.SireneInputError:
        return None


def find_inputs(directory: str | Path) -> Folder:
    directory = Path(directory)
    if not directory.is_dir():
        raise formats.SireneInputError(f"{directory} is not a folder.")
    by_role: dict[str, list[tuple[int, Path, dict]]] = {}
    found = Folder()
    for path in sorted(directory.iterdir()):
        fmt = _format(path) if path.is_file() else None
        if fmt is None:
            continue
        manifest = read_manifest(path)
        role = role_of(manifest.get("title", ""), path.name)
        if role is None:
            found.ignored.append(path.name)
            continue
        by_role.setdefault(role, []).append((FORMAT_PREFERENCE.index(fmt), path, manifest))
    for role, items in by_role.items():
        items.sort(key=lambda item: (item[0], item[1].name))
        if len(items) > 1 and items[0][0] == items[1][0]:
            raise formats.SireneInputError(
                f"{directory}: two {LABELS[role]} files of the same format ({items[0][1].name}, {items[1][1].name});"
                " keep one, or name the files with --unites-legales / --etablissements / --geolocalisation."
            )
        found.paths[role] = items[0][1]
        found.ignored += [item[1].name for item in items[1:]]
    missing = [LABELS[r] for r in (formats.UNITES_LEGALES, formats.ETABLISSEMENTS) if r not in found.paths]
    if missing:
        raise formats.SireneInputError(
            f"{directory}: no {' nor '.join(missing)} file found (files there: "
            f"{', '.join(p.name for p in sorted(directory.iterdir())) or 'none'})."
        )
    for role in (formats.ETABLISSEMENTS, formats.UNITES_LEGALES, formats.GEOLOCALISATION):
        vintage = read_manifest(found.paths[role]).get("vintage") if role in found.paths else None
        if vintage:
            found.vintage = dt.date.fromisoformat(vintage)
            break
    return found
