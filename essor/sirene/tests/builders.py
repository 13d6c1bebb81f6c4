"""Tiny SIRENE files in INSEE's exact layouts (all official columns, in order) for hand-counted tests.

unit("100000001", cj="9220", ess="O")
etab("100000001", 1, commune="31555", naf="88.99B", band="11")
geo("10000000100001", x=..., y=..., epsg=2154, qp24="QN03104M")
write_inputs(tmp_path, units, etabs, geos, fmt="zip")  -> {"unites_legales": path, ...}
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import shapely
from pyproj import Transformer

from essor.sirene import synth_formats as layouts
from essor.territories.geometry import from_wkb
from essor.territories.models import Qpv


def unit(siren, cj="9220", ess="", naf="88.99B", name=None, etat="A", **extra) -> dict:
    return {
        "siren": siren,
        "categorieJuridiqueUniteLegale": cj,
        "economieSocialeSolidaireUniteLegale": ess,
        "activitePrincipaleUniteLegale": naf,
        "denominationUniteLegale": name if name is not None else f"UNITE {siren}",
        "etatAdministratifUniteLegale": etat,
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        **extra,
    }


def etab(siren, nic=1, commune="31555", naf="88.99B", band="NN", etat="A", siret=None, **extra) -> dict:
    row = {
        "siren": siren,
        "nic": f"{nic:05d}",
        "siret": siret if siret is not None else f"{siren}{nic:05d}",
        "etatAdministratifEtablissement": etat,
        "codeCommuneEtablissement": commune,
        "activitePrincipaleEtablissement": naf,
        "trancheEffectifsEtablissement": band,
        "dateCreationEtablissement": "2015-03-01",
        "etablissementSiege": "true" if nic == 1 else "false",
        "numeroVoieEtablissement": "12",
        "typeVoieEtablissement": "RUE",
        "libelleVoieEtablissement": "DES LILAS",
        "codePostalEtablissement": "31000",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }
    row.update(extra)
    return row


def geo(siret, x=None, y=None, epsg=2154, qp24="", qp15="", lon=None, lat=None, **extra) -> dict:
    return {
        "siret": siret,
        "x": "" if x is None else f"{x:.2f}",
        "y": "" if y is None else f"{y:.2f}",
        "qualite_xy": "11",
        "epsg": "" if epsg is None else str(epsg),
        "plg_qp24": qp24,
        "plg_qp15": qp15,
        "x_longitude": "" if lon is None else f"{lon:.7f}",
        "y_latitude": "" if lat is None else f"{lat:.7f}",
        **extra,
    }


@cache
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _metric(geometry_wkb, epsg):
    to_metric = _transformer(4326, epsg)
    return shapely.transform(from_wkb(geometry_wkb), lambda xy: np.column_stack(to_metric.transform(*xy.T)))


def qpv_points(code: str, epsg: int = 2154) -> dict[str, tuple[float, float]]:
    """Points in the metric system `epsg`: 'inside' the QPV, 'near' (150 m east of its eastern-most vertex,
    nearer to it than to any other QPV) and 'far' (more than 300 m from every QPV of its generation)."""
    qpv = Qpv.objects.get(code=code)
    polygon = _metric(qpv.geometry, epsg)
    others = [_metric(wkb, epsg) for wkb in Qpv.objects.filter(generation=qpv.generation).exclude(code=code)
              .filter(departement_id=qpv.departement_id).values_list("geometry", flat=True)]  # fmt: skip
    inside = polygon.representative_point()
    vertices = [c for part in getattr(polygon, "geoms", [polygon]) for c in part.exterior.coords]
    east = max(vertices, key=lambda c: c[0])
    near = shapely.Point(east[0] + 150, east[1])
    assert all(other.distance(near) > 300 for other in others), "near point also near another QPV"
    far_x = east[0] + 2000
    while any(other.distance(shapely.Point(far_x, east[1])) <= 300 for other in others):
        far_x += 1000
    return {"inside": (inside.x, inside.y), "near": (near.x, near.y), "far": (far_x, east[1])}


def to_wgs84(epsg: int, x: float, y: float) -> tuple[float, float]:
    return _transformer(epsg, 4326).transform(x, y)


def _csv_text(columns: list[str], rows: list[dict], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def write_file(
    directory: Path, layout: str, rows: list[dict], fmt: str = "csv", delimiter: str | None = None
) -> Path:
    columns = layouts.COLUMNS[layout]
    delimiter = delimiter or layouts.DELIMITERS[layout]
    text = _csv_text(columns, rows, delimiter)
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path = directory / f"{layout}.csv"
        path.write_text(text, encoding="utf-8")
    elif fmt == "csv.gz":
        path = directory / f"{layout}.csv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    elif fmt == "zip":
        path = directory / f"{layout}.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{layout}.csv", text)
    elif fmt in ("parquet", "parquet-text"):
        # "parquet": the data.gouv.fr types (BIGINT categories, BOOLEAN flags, DATE/TIMESTAMP, Float32
        # coordinates: layouts.PARQUET_TYPES); "parquet-text": every column as text.
        source = directory / f"{layout}.tmp.csv"
        source.write_text(text, encoding="utf-8")
        path = directory / f"{layout}.parquet"
        types = layouts.PARQUET_TYPES[layout] if fmt == "parquet" else {}
        select = ", ".join(
            f'TRY_CAST(nullif(trim("{c}"), \'\') AS {types[c]}) AS "{c}"' if c in types else f'"{c}"'
            for c in columns
        )
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT {select} FROM read_csv('{source}', header=true, all_varchar=true, delim='{delimiter}', "
            f"quote='\"')) TO '{path}' (FORMAT parquet)"
        )
        con.close()
        source.unlink()
    else:
        raise ValueError(fmt)
    return path


def write_inputs(directory: Path, units, etabs, geos=None, fmt: str = "csv") -> dict[str, Path | None]:
    return {
        "unites_legales": write_file(directory, layouts.UNITES_LEGALES, units, fmt),
        "etablissements": write_file(directory, layouts.ETABLISSEMENTS, etabs, fmt),
        "geolocalisation": write_file(directory, layouts.GEOLOCALISATION, geos, fmt)
        if geos is not None
        else None,
    }
