"""Geography for synthetic SIRENE files: the communes of a territory and pools of located points.

Everything comes from the vendored reference files (no database needed), so the generator also runs before
`essor territories load`. Points are drawn around the real QPV 2024 contours, in the projected system INSEE
uses for the row's département: inside a QPV (at least 10 m from its edge), near one (25 to 275 m from it and
from every other QPV) and far from all (more than 350 m). Their true QPV 2024 (and, in Occitanie where the
2015 contours are vendored, QPV 2015) is known, so the files can say it in plg_qp24 / plg_qp15 as INSEE does.
"""

import csv
import gzip
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from essor.sirene.synth_formats import MAINLAND_EPSG, epsg_for_departement
from essor.territories.models import QpvGeneration, qpv_generation_of

TERRITORIES_DATA = Path(__file__).resolve().parent.parent / "territories" / "data"
DECOUPAGE = TERRITORIES_DATA / "decoupage-administratif-6.0.0"
QPV2024_CONTOURS = TERRITORIES_DATA / "qpv2024" / "qpv2024_france_wgs84.geojson.gz"
QPV2024_LIST = TERRITORIES_DATA / "qpv2024" / "qpv2024_liste_cog2026.csv"
QPV2015_CONTOURS = TERRITORIES_DATA / "qp2015-occitanie" / "qp2015_occitanie_wgs84.geojson"

# Communes SIRENE replaces by their arrondissements municipaux (Paris, Marseille, Lyon).
PLM = {"75056", "13055", "69123"}
OCCITANIE = "76"
# Pool sizes: points are shared by several establishments (as addresses are) and jittered by a few metres.
POINTS_INSIDE_PER_QPV = 32
POINTS_NEAR_PER_QPV = 32
POINTS_FAR_PER_QPV_COMMUNE = 64
POINTS_FAR_PER_DEPARTEMENT = 256


class UnknownTerritory(ValueError):
    pass


@dataclass
class Commune:
    code: str
    name: str
    departement: str
    region: str
    postcode: str
    population: int


def _load_gz_json(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def plain_upper(text: str) -> str:
    """INSEE writes commune labels in capitals without accents."""
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return stripped.upper().replace("'", " ").replace("-", " ")


@cache
def _communes_by_code() -> dict[str, dict]:
    rows = _load_gz_json(DECOUPAGE / "communes.json.gz")
    return {
        row["code"]: row
        for row in rows
        if row["type"] in ("commune-actuelle", "arrondissement-municipal")
        and not row["code"].startswith("98")
    }


@cache
def _arrondissements_of() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for code, row in _communes_by_code().items():
        if row["type"] == "arrondissement-municipal":
            result.setdefault(row["commune"], []).append(code)
    return {key: sorted(value) for key, value in result.items()}


@cache
def _qpv24_list() -> dict[str, dict]:
    with QPV2024_LIST.open(encoding="utf-8") as handle:
        return {row["code_qp"]: row for row in csv.DictReader(handle)}


def _territory_commune_codes(kind: str, code: str) -> list[str]:
    communes = _communes_by_code()
    if kind == "france":
        if code != "FR":
            raise UnknownTerritory(f"france:{code} (use france:FR)")
        return [c for c, row in communes.items() if row["type"] == "commune-actuelle"]
    if kind in ("region", "departement"):
        found = [
            c for c, row in communes.items() if row["type"] == "commune-actuelle" and row.get(kind) == code
        ]
    elif kind == "epci":
        groups = _load_gz_json(DECOUPAGE / "epci.json.gz") + _load_gz_json(DECOUPAGE / "ept.json.gz")
        found = next(([m["code"] for m in g["membres"]] for g in groups if g["code"] == code), [])
    elif kind == "commune":
        found = [code] if code in communes else []
    elif kind == "qpv" and qpv_generation_of(code) == QpvGeneration.QPV_2024:
        row = _qpv24_list().get(code)
        found = row["insee_com"].split(";") if row else []
    elif kind == "qpv" and qpv_generation_of(code) == QpvGeneration.QPV_2015:
        contours = json.loads(QPV2015_CONTOURS.read_text(encoding="utf-8"))["features"]
        found = [f["properties"]["code_commune"] for f in contours if f["properties"]["code_qp"] == code]
    else:
        raise UnknownTerritory(f"{kind}:{code}")
    if not found:
        raise UnknownTerritory(f"{kind}:{code}")
    return found


def territory_communes(territory: str) -> list[Commune]:
    """The communes (arrondissements for Paris, Lyon, Marseille) of `kind:code` territories (comma-separated)."""
    communes = _communes_by_code()
    codes: set[str] = set()
    for item in territory.split(","):
        kind, _, code = item.strip().partition(":")
        for commune_code in _territory_commune_codes(kind, code):
            codes.update(_arrondissements_of().get(commune_code, [commune_code]))
    result = []
    for commune_code in sorted(codes & communes.keys()):
        row = communes[commune_code]
        postcodes = row.get("codesPostaux") or [""]
        result.append(
            Commune(
                code=commune_code,
                name=plain_upper(row["nom"]).replace(" ARRONDISSEMENT", ""),
                departement=row["departement"],
                region=row["region"],
                postcode=postcodes[0],
                population=int(row.get("population") or 50),
            )
        )
    return result


@dataclass
class Qpv:
    code: str
    departement: str
    communes: list[str]
    geometry: object  # shapely geometry, projected in `epsg`
    epsg: int


def _project(geometries, epsg: int):
    transformer = Transformer.from_crs(4326, epsg, always_xy=True)

    def forward(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometries, forward)


@cache
def _qpv2024() -> dict[str, Qpv]:
    features = _load_gz_json(QPV2024_CONTOURS)["features"]
    listing = _qpv24_list()
    arrondissements = _arrondissements_of()
    by_epsg: dict[int, list[tuple[str, str, list[str], object]]] = {}
    for feature in sorted(features, key=lambda f: f["properties"]["code_qp"]):
        code = feature["properties"]["code_qp"]
        communes = feature["properties"]["insee_com"].split(";")
        departement = (listing.get(code) or {}).get("departement") or communes[0][
            : 3 if communes[0] >= "97" else 2
        ]
        if departement.startswith("98"):
            continue  # French Polynesia has its own business register, outside SIRENE
        mapped = []
        for commune in communes:
            parts = arrondissements.get(commune)
            # No arrondissement contours are vendored: a QPV of Paris/Lyon/Marseille is put in one arrondissement.
            mapped.append(parts[sum(map(ord, code)) % len(parts)] if parts else commune)
        geometry = shapely.make_valid(shapely.geometry.shape(feature["geometry"]))
        by_epsg.setdefault(epsg_for_departement(departement), []).append(
            (code, departement, mapped, geometry)
        )
    result = {}
    for epsg, items in by_epsg.items():
        projected = _project(np.array([item[3] for item in items], dtype=object), epsg)
        for (code, departement, communes, _), geometry in zip(items, projected, strict=True):
            result[code] = Qpv(code, departement, communes, geometry, epsg)
    return result


@cache
def _qpv2015_occitanie():
    """(codes, projected geometries, communes having a 2015 QPV) for the vendored Occitanie contours."""
    features = json.loads(QPV2015_CONTOURS.read_text(encoding="utf-8"))["features"]
    features.sort(key=lambda f: f["properties"]["code_qp"])
    codes = [f["properties"]["code_qp"] for f in features]
    geometries = np.array([shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features])
    communes = {f["properties"]["code_commune"] for f in features}
    return codes, _project(geometries, MAINLAND_EPSG), communes


@cache
def _tree(epsg: int):
    qpvs = [q for q in _qpv2024().values() if q.epsg == epsg]
    return shapely.STRtree([q.geometry for q in qpvs])


def _clear_of_qpvs(x, y, epsg: int, distance: float) -> np.ndarray:
    """True where a point is more than `distance` metres from every QPV 2024 of its system."""
    points = shapely.points(x, y)
    hits = _tree(epsg).query(points, predicate="dwithin", distance=distance)
    keep = np.ones(len(points), dtype=bool)
    keep[hits[0]] = False
    return keep


def _sample(rng, count: int, draw, accept) -> tuple[np.ndarray, np.ndarray]:
    """Rejection sampling: `draw(n)` proposes points, `accept(x, y)` filters them; at most `count` kept."""
    xs, ys = [], []
    kept = 0
    for _ in range(40):
        x, y = draw(max(4 * count, 64))
        ok = accept(x, y)
        xs.append(x[ok])
        ys.append(y[ok])
        kept += int(ok.sum())
        if kept >= count:
            break
    return np.concatenate(xs)[:count], np.concatenate(ys)[:count]


def _in_box(rng, geometry, margin: float):
    minx, miny, maxx, maxy = geometry.bounds

    def draw(n):
        return rng.uniform(minx - margin, maxx + margin, n), rng.uniform(miny - margin, maxy + margin, n)

    return draw


def _around(rng, centres_x, centres_y, low: float, high: float):
    def draw(n):
        pick = rng.integers(0, len(centres_x), n)
        angle = rng.uniform(0, 2 * np.pi, n)
        radius = np.sqrt(rng.uniform(low**2, high**2, n))
        return centres_x[pick] + radius * np.cos(angle), centres_y[pick] + radius * np.sin(angle)

    return draw


def _inside_points(rng, qpv: Qpv):
    core = qpv.geometry.buffer(-10)
    target = core if not core.is_empty else qpv.geometry
    shapely.prepare(target)
    return _sample(
        rng, POINTS_INSIDE_PER_QPV, _in_box(rng, target, 0), lambda x, y: shapely.contains_xy(target, x, y)
    )


def _near_points(rng, qpv: Qpv):
    shapely.prepare(qpv.geometry)

    def accept(x, y):
        distance = shapely.distance(qpv.geometry, shapely.points(x, y))
        return (distance >= 25) & (distance <= 275) & _clear_of_qpvs(x, y, qpv.epsg, 25)

    return _sample(rng, POINTS_NEAR_PER_QPV, _in_box(rng, qpv.geometry, 275), accept)


def _far_points(rng, qpvs: list[Qpv], count: int, low: float, high: float, area):
    """Points `low` to `high` metres from these QPVs' centres, inside `area`, > 350 m from every QPV."""
    centres = shapely.centroid([q.geometry for q in qpvs])
    cx, cy = shapely.get_x(centres), shapely.get_y(centres)
    epsg = qpvs[0].epsg
    shapely.prepare(area)

    def accept(x, y):
        return shapely.contains_xy(area, x, y) & _clear_of_qpvs(x, y, epsg, 350)

    return _sample(rng, count, _around(rng, cx, cy, low, high), accept)


@cache
def _departement_area(departement: str):
    """Where far points may fall: around the département's QPVs (their hull plus 1.5 km), not out at sea."""
    geometries = [q.geometry for q in _qpv2024().values() if q.departement == departement]
    return shapely.convex_hull(shapely.geometrycollections(geometries)).buffer(1500)


@dataclass
class Places:
    """Communes (with their pools' offsets) and located points, as columns ready for DuckDB."""

    communes: dict[str, np.ndarray]
    points: dict[str, np.ndarray]


def _share_inside(qpv_count: int) -> float:
    # Rough shares of establishments inside QPVs of a commune that has some: more QPVs, larger share.
    return min(0.22, 0.04 + 0.015 * qpv_count) if qpv_count else 0.0


class _PointPool:
    """Located points, appended in slices; a commune refers to its slices by (offset, count)."""

    def __init__(self):
        self.chunks: list[tuple[np.ndarray, np.ndarray, int, list[str]]] = []  # x, y, epsg, true QPV 2024
        self.size = 0

    def add(self, x, y, epsg: int, qp24: list[str] | None = None) -> tuple[int, int]:
        self.chunks.append((x, y, epsg, qp24 if qp24 is not None else [""] * len(x)))
        start, self.size = self.size, self.size + len(x)
        return start, len(x)


def _group_qpvs():
    by_commune: dict[str, list[Qpv]] = {}
    by_departement: dict[str, list[Qpv]] = {}
    for qpv in sorted(_qpv2024().values(), key=lambda q: q.code):
        for commune in qpv.communes:
            by_commune.setdefault(commune, []).append(qpv)
        by_departement.setdefault(qpv.departement, []).append(qpv)
    return by_commune, by_departement


def build_places(communes: list[Commune], seed: int) -> Places:
    """Each commune with its pools of points inside / near / far from QPVs (offsets into one point table)."""
    rng = np.random.default_rng([seed, 2024])
    by_commune, by_departement = _group_qpvs()
    pool = _PointPool()
    inside: dict[str, tuple] = {}
    near: dict[str, tuple] = {}
    departement_pool: dict[str, tuple[int, int]] = {}
    rows = []
    for commune in communes:
        own = by_commune.get(commune.code, [])
        row = {"code": commune.code, "name": commune.name, "postcode": commune.postcode,
               "departement": commune.departement, "region": commune.region, "population": commune.population,
               "in_off": 0, "in_cnt": 0, "near_off": 0, "near_cnt": 0, "far_off": 0, "far_cnt": 0,
               "has_qp24": bool(own), "p_in": 0.0, "p_near": 0.0}  # fmt: skip
        if own:
            for qpv in own:
                if qpv.code not in inside:
                    inside[qpv.code] = _inside_points(rng, qpv)
                    near[qpv.code] = _near_points(rng, qpv)
            epsg = own[0].epsg
            x = np.concatenate([inside[q.code][0] for q in own])
            y = np.concatenate([inside[q.code][1] for q in own])
            codes = [q.code for q in own for _ in range(len(inside[q.code][0]))]
            row["in_off"], row["in_cnt"] = pool.add(x, y, epsg, codes)
            x = np.concatenate([near[q.code][0] for q in own])
            y = np.concatenate([near[q.code][1] for q in own])
            row["near_off"], row["near_cnt"] = pool.add(x, y, epsg)
            area = _departement_area(own[0].departement)
            x, y = _far_points(rng, own, POINTS_FAR_PER_QPV_COMMUNE, 600, 4000, area)
            row["far_off"], row["far_cnt"] = pool.add(x, y, epsg)
            row["p_in"] = _share_inside(len(own)) if row["in_cnt"] else 0.0
            row["p_near"] = row["p_in"] * 0.7 if row["near_cnt"] else 0.0
        elif commune.departement in by_departement:
            if commune.departement not in departement_pool:
                around = by_departement[commune.departement]
                area = _departement_area(commune.departement)
                x, y = _far_points(rng, around, POINTS_FAR_PER_DEPARTEMENT, 1000, 15000, area)
                departement_pool[commune.departement] = pool.add(x, y, around[0].epsg)
            row["far_off"], row["far_cnt"] = departement_pool[commune.departement]
        rows.append(row)
    return Places(communes=_as_arrays(rows), points=_points_table(pool.chunks))


def _as_arrays(rows: list[dict]) -> dict[str, np.ndarray]:
    types = {"has_qp24": bool, "p_in": np.float64, "p_near": np.float64}
    text = ("code", "name", "postcode", "departement", "region")
    result = {}
    for key in rows[0] if rows else []:
        dtype = object if key in text else types.get(key, np.int64)
        result[key] = np.array([row[key] for row in rows], dtype=dtype)
    result["idx"] = np.arange(len(rows), dtype=np.int64)
    return result


def _points_table(chunks) -> dict[str, np.ndarray]:
    if not chunks:
        empty_f, empty_s = np.zeros(0), np.zeros(0, dtype=object)
        return {"pid": np.zeros(0, dtype=np.int64), "x": empty_f, "y": empty_f, "lon": empty_f, "lat": empty_f,
                "epsg": np.zeros(0, dtype=np.int64), "qp24": empty_s, "qp15": empty_s}  # fmt: skip
    x = np.concatenate([c[0] for c in chunks])
    y = np.concatenate([c[1] for c in chunks])
    epsg = np.concatenate([np.full(len(c[0]), c[2], dtype=np.int64) for c in chunks])
    qp24 = np.array([code for chunk in chunks for code in chunk[3]], dtype=object)
    lon, lat = np.zeros(len(x)), np.zeros(len(x))
    for system in np.unique(epsg):
        mask = epsg == system
        transformer = Transformer.from_crs(int(system), 4326, always_xy=True)
        lon[mask], lat[mask] = transformer.transform(x[mask], y[mask])
    qp15 = np.full(len(x), "", dtype=object)
    codes, geometries, _ = _qpv2015_occitanie()
    mainland = np.flatnonzero(epsg == MAINLAND_EPSG)
    if len(mainland):
        hits = shapely.STRtree(geometries).query(shapely.points(x[mainland], y[mainland]), predicate="within")
        qp15[mainland[hits[0]]] = np.array(codes, dtype=object)[hits[1]]
    return {"pid": np.arange(len(x), dtype=np.int64), "x": np.round(x, 1), "y": np.round(y, 1),
            "lon": lon, "lat": lat, "epsg": epsg, "qp24": qp24, "qp15": qp15}  # fmt: skip


def communes_with_qpv2015() -> set[str]:
    return _qpv2015_occitanie()[2]
