"""From the upstream files to the rows the reference tables should hold (no database access here).

Rules (see docs/methodology.md):
- communes: every `commune-actuelle`; arrondissements municipaux and communes déléguées/associées too, with
  `parent` = their commune (`commune` field for arrondissements, `chefLieu` for the others) and the EPCI/EPT of
  that commune. A commune déléguée that shares its code with its commune nouvelle (the chef-lieu) is not stored
  twice: the commune keeps the code.
- EPCI population: `populationMunicipale` (the INSEE population used for statistics, consistent with the
  communes' populations); départements and régions: sum of their communes' populations.
- QPV: `insee_com` may list several communes (';'); a code that is no longer a commune (merged, e.g. 93059 into
  93066) is resolved through the COG: commune déléguée -> its commune, or a former code (`anciensCodes`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from essor.territories import geometry as geo
from essor.territories.crosswalk import compute_crosswalk
from essor.territories.models import CommuneKind, EpciNature, QpvGeneration
from essor.territories.normalize import core_epci_name, normalize_name
from essor.territories.sources import LoadError, SourceFiles, read_csv, read_features, read_records

COMMUNE_KINDS = {
    "commune-actuelle": CommuneKind.COMMUNE,
    "arrondissement-municipal": CommuneKind.ARRONDISSEMENT,
    "commune-deleguee": CommuneKind.DELEGUEE,
    "commune-associee": CommuneKind.ASSOCIEE,
}
EPCI_NATURES = {nature.value for nature in EpciNature}
MGP_CODE = "200054781"  # Métropole du Grand Paris, parent of the EPT
# Property names of the QPV code, name and communes in the published GeoJSON files (ANCT and re-packagings).
QPV_CODE_KEYS = ("code_qp", "code_qpv", "CODE_QP", "code_quartier")
QPV_NAME_KEYS = ("lib_qp", "nom_qp", "LIB_QP", "NOM_QP", "nom_qpv")
QPV_COMMUNE_KEYS = ("insee_com", "code_commune", "INSEE_COM", "code_insee", "insee_code")


@dataclass
class Reference:
    """Target rows keyed by primary key; each row is a dict of model attribute names."""

    regions: dict = field(default_factory=dict)
    departements: dict = field(default_factory=dict)
    epcis: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)
    qpvs: dict = field(default_factory=dict)
    qpv_communes: set = field(default_factory=set)  # {(qpv_code, commune_code)}
    crosswalk: dict = field(default_factory=dict)  # {(code_2015, code_2024): {share_of_2015_area, ...}}
    search_entries: dict = field(default_factory=dict)  # {"kind:code": {kind, code, search_name, ...}}
    former_codes: dict = field(default_factory=dict)  # {former INSEE code: current commune code}
    report: dict = field(default_factory=dict)


def _require(record: dict, key: str, path, index: int, label: str):
    value = record.get(key)
    if value in (None, ""):
        code = record.get("code")
        where = f"record {index + 1}" + (f" (code {code})" if code else "")
        raise LoadError(path, f"wrong format: field `{key}` ({label}) is missing", record=where)
    return value


def build_reference(sources: SourceFiles, departements=None, track=None) -> Reference:
    """All target rows. `departements` limits the load to these départements (test fixtures)."""
    track = track or (lambda iterable, description, total=None: iterable)
    keep = set(departements) if departements else None
    ref = Reference(report={"warnings": []})
    communes_by_code = _build_admin(sources, ref, keep)
    _build_qpv2024(sources, ref, keep, communes_by_code, track)
    _build_qpv2015(sources, ref, keep, communes_by_code, track)
    _build_crosswalk(ref, track)
    _build_search_entries(ref)
    return ref


def _build_search_entries(ref: Reference) -> None:
    tables = (
        ("region", ref.regions),
        ("departement", ref.departements),
        ("epci", ref.epcis),
        ("commune", ref.communes),
        ("qpv", ref.qpvs),
    )
    # Communes déléguées and associées are searchable too (people know their old names); they have no
    # population of their own, so they come after the communes of the same rank.
    for kind, rows in tables:
        for code, row in rows.items():
            alt_name = core_epci_name(row["search_name"]) if kind == "epci" else ""
            ref.search_entries[f"{kind}:{code}"] = {
                "kind": kind,
                "code": code,
                "search_name": row["search_name"],
                "alt_name": alt_name if alt_name != row["search_name"] else "",
                "population": row.get("population"),  # none for a QPV 2024 (loaded apart)
            }


def _build_admin(sources: SourceFiles, ref: Reference, keep) -> dict:
    files = sources.decoupage
    for index, row in enumerate(read_records(files["regions"])):
        code = _require(row, "code", files["regions"], index, "region code")
        name = _require(row, "nom", files["regions"], index, "name")
        ref.regions[code] = {
            "name": name,
            "search_name": normalize_name(name),
            "zone": row.get("zone") or "metro",
            "chef_lieu": row.get("chefLieu") or "",
            "population": 0,
        }
    for index, row in enumerate(read_records(files["departements"])):
        code = _require(row, "code", files["departements"], index, "département code")
        name = _require(row, "nom", files["departements"], index, "name")
        region = row.get("region")
        if region not in ref.regions:
            raise LoadError(files["departements"], f"unknown région {region!r}", record=f"département {code}")
        ref.departements[code] = {
            "name": name,
            "search_name": normalize_name(name),
            "region_id": region,
            "zone": row.get("zone") or "metro",
            "chef_lieu": row.get("chefLieu") or "",
            "population": 0,
        }

    by_code = _read_communes(files["communes"], ref)
    _build_epcis(files, ref, by_code)

    # Parts of a commune share its EPCI and EPT (so that a SIRENE arrondissement code finds its métropole).
    for entry in by_code.values():
        parent = by_code.get(entry["parent_id"]) if entry["parent_id"] else None
        if parent is not None:
            entry["epci_id"], entry["ept_id"] = parent["epci_id"], parent["ept_id"]

    selected = {
        code: entry for code, entry in by_code.items() if keep is None or entry["departement_id"] in keep
    }
    for code, entry in selected.items():
        row = dict(entry)
        if row["parent_id"] not in selected:
            row["parent_id"] = None
        ref.communes[code] = row
    _filter_and_sum(ref, keep)
    return by_code


def _read_communes(path, ref: Reference) -> dict:
    """Every entry of the COG by code (also used to resolve QPV communes outside a subset)."""
    by_code: dict[str, dict] = {}
    homonyms = 0
    for index, row in enumerate(read_records(path)):
        code = _require(row, "code", path, index, "INSEE code")
        _require(row, "nom", path, index, "name")
        kind = COMMUNE_KINDS.get(row.get("type"))
        if kind is None:
            raise LoadError(path, f"unknown commune type {row.get('type')!r}", record=f"commune {code}")
        departement = row.get("departement")
        if departement not in ref.departements:
            raise LoadError(path, f"unknown département {departement!r}", record=f"commune {code}")
        if row.get("region") and row["region"] not in ref.regions:
            raise LoadError(path, f"unknown région {row['region']!r}", record=f"commune {code}")
        _population(row.get("population"), path, f"commune {code}")
        if code in by_code:
            # A commune déléguée with the code of its commune nouvelle: the commune keeps the code.
            if kind == COMMUNE_KINDS[by_code[code]["_row"]["type"]] == CommuneKind.COMMUNE:
                raise LoadError(path, "this commune code appears twice", record=f"commune {code}")
            homonyms += 1
            if kind != CommuneKind.COMMUNE:
                continue
        by_code[code] = {"_row": row}
        for former in row.get("anciensCodes") or []:
            ref.former_codes.setdefault(former, code)

    for code, entry in by_code.items():
        row = entry["_row"]
        kind = COMMUNE_KINDS[row["type"]]
        parent = row.get("commune") if kind == CommuneKind.ARRONDISSEMENT else row.get("chefLieu")
        if kind == CommuneKind.COMMUNE:
            parent = None
        if parent is not None and parent not in by_code:
            ref.report["warnings"].append(f"commune {code}: its commune {parent} is not in the COG")
            parent = None
        entry.clear()
        entry.update(
            {
                "name": row["nom"],
                "search_name": normalize_name(row["nom"]),
                "kind": kind,
                "parent_id": parent,
                "departement_id": row["departement"],
                "region_id": row.get("region") or ref.departements[row["departement"]]["region_id"],
                "epci_id": None,
                "ept_id": None,
                "zone": row.get("zone") or "metro",
                "siren": row.get("siren") or "",
                "postcodes": ",".join(row.get("codesPostaux") or [])[:200],
                "population": row.get("population"),
            }
        )
    ref.report["homonymous_communes_deleguees"] = homonyms
    return by_code


def _population(value, path, record: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise LoadError(path, f"population {value!r} is not a whole number", record=record)


def _build_epcis(files, ref: Reference, by_code: dict) -> None:
    for source in ("epci", "ept"):
        path = files[source]
        for index, row in enumerate(read_records(path)):
            code = _require(row, "code", path, index, "SIREN")
            name = _require(row, "nom", path, index, "name")
            nature = row.get("type")
            if nature not in EPCI_NATURES:
                raise LoadError(path, f"unknown EPCI type {nature!r}", record=f"EPCI {code}")
            ref.epcis[code] = {
                "name": name,
                "search_name": normalize_name(name),
                "nature": nature,
                "financing": row.get("modeFinancement") or "",
                "population": _population(
                    row.get("populationMunicipale", row.get("populationTotale")), path, f"EPCI {code}"
                ),
                "parent_id": MGP_CODE if source == "ept" else None,
            }
            members = row.get("membres")
            if not isinstance(members, list):
                raise LoadError(path, "wrong format: `membres` must be a list", record=f"EPCI {code}")
            for member in members:
                commune = by_code.get(member.get("code"))
                if commune is None:
                    raise LoadError(
                        path, f"member commune {member.get('code')!r} is unknown", record=f"EPCI {code}"
                    )
                commune["ept_id" if source == "ept" else "epci_id"] = code


def _filter_and_sum(ref: Reference, keep) -> None:
    if keep is not None:
        used_epcis = {c["epci_id"] for c in ref.communes.values()} | {
            c["ept_id"] for c in ref.communes.values()
        }
        ref.epcis = {code: row for code, row in ref.epcis.items() if code in used_epcis}
        ref.departements = {code: row for code, row in ref.departements.items() if code in keep}
        used_regions = {row["region_id"] for row in ref.departements.values()}
        ref.regions = {code: row for code, row in ref.regions.items() if code in used_regions}
    for row in ref.epcis.values():
        if row["parent_id"] not in ref.epcis:
            row["parent_id"] = None
    for commune in ref.communes.values():
        for key in ("epci_id", "ept_id"):
            if commune[key] not in ref.epcis:
                commune[key] = None
        # Arrondissements and communes déléguées are parts of a commune: counting them would count twice.
        if commune["kind"] == CommuneKind.COMMUNE and commune["population"]:
            ref.departements[commune["departement_id"]]["population"] += commune["population"]
            ref.regions[commune["region_id"]]["population"] += commune["population"]


def _resolve_commune(code: str, by_code: dict, former_codes: dict) -> tuple[str | None, str]:
    """(commune code, how): the commune itself, its commune for a part of a commune, or via a former code."""
    entry = by_code.get(code)
    if entry is not None:
        if entry["kind"] == CommuneKind.COMMUNE:
            return code, "direct"
        if entry["parent_id"]:
            return entry["parent_id"], f"{entry['kind']} of"
    if code in former_codes:
        return former_codes[code], "former code of"
    return None, "unknown"


def _prop(properties: dict, keys) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _qpv_rows(path, generation, ref, keep, by_code, track, population=None):
    features, epsg = read_features(path)
    former_codes = ref.former_codes
    resolved, repaired, seen = [], [], set()
    for index, feature in enumerate(track(features, f"QPV {generation}", len(features))):
        properties = feature.get("properties") or {}
        code = _prop(properties, QPV_CODE_KEYS).upper()
        if not code:
            raise LoadError(
                path, "wrong format: the QPV code (code_qp) is missing", record=f"feature {index + 1}"
            )
        record = f"feature {index + 1} ({code})"
        if code in seen:
            raise LoadError(path, "this QPV code appears twice", record=record)
        seen.add(code)
        name = _prop(properties, QPV_NAME_KEYS)
        if not name:
            raise LoadError(path, "wrong format: the QPV name (lib_qp) is missing", record=record)
        commune_codes = [c.strip() for c in _prop(properties, QPV_COMMUNE_KEYS).split(";") if c.strip()]
        if not commune_codes:
            raise LoadError(path, "wrong format: the QPV communes (insee_com) are missing", record=record)
        communes, notes = [], []
        for commune_code in commune_codes:
            target, how = _resolve_commune(commune_code, by_code, former_codes)
            if target is None:
                raise LoadError(
                    path, f"unknown commune {commune_code!r} (not in the COG, nor a former code)", record
                )
            if how != "direct":
                notes.append(f"{code}: {commune_code} -> {target} ({how})")
            if target not in communes:
                communes.append(target)
        departement = by_code[communes[0]]["departement_id"]
        if keep is not None and departement not in keep:
            continue
        resolved.extend(notes)
        try:
            contour = geo.clean_multipolygon(feature.get("geometry"), epsg)
        except geo.GeometryError as exc:
            raise LoadError(path, f"invalid contour: {exc}", record=record) from None
        if contour.repaired:
            repaired.append(code)
        shape = contour.geometry
        min_lon, min_lat, max_lon, max_lat = shape.bounds
        ref.qpvs[code] = {
            "generation": generation,
            "name": name,
            "search_name": normalize_name(name),
            "departement_id": departement if departement in ref.departements else None,
            "geometry": geo.to_wkb(shape),
            "geojson": geo.display_geojson(shape),
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
            "area_m2": round(geo.area_m2(shape, departement), 1),
            "repaired": contour.repaired,
            "_shape": shape,
        }
        if population is not None:
            # The 2015 population comes with its contours. The 2024 one is INSEE's own file, loaded apart
            # (qpv_population.py): the contours' load never writes it, so it never blanks it either.
            ref.qpvs[code]["population"] = population.get(code)
        ref.qpv_communes.update((code, commune) for commune in communes if commune in ref.communes)
    ref.report[f"qpv{generation}_communes_resolved"] = resolved
    ref.report[f"qpv{generation}_repaired"] = len(repaired)
    ref.report[f"qpv{generation}_repaired_codes"] = sorted(repaired)
    return len(features)


def _build_qpv2024(sources, ref, keep, by_code, track) -> None:
    _qpv_rows(sources.qpv2024, QpvGeneration.QPV_2024, ref, keep, by_code, track)


def _build_qpv2015(sources, ref, keep, by_code, track) -> None:
    population = {}
    for index, row in enumerate(read_csv(sources.qp2015_csv, required=("code_qp", "pop_mun"))):
        code = (row.get("code_qp") or "").strip().upper()
        if not code:
            raise LoadError(
                sources.qp2015_csv, "wrong format: column code_qp is missing", record=f"line {index + 2}"
            )
        raw = (row.get("pop_mun") or "").strip()
        try:
            population[code] = int(float(raw)) if raw else None
        except ValueError:
            raise LoadError(
                sources.qp2015_csv, f"pop_mun {raw!r} is not a number", record=f"line {index + 2}"
            ) from None
    _qpv_rows(sources.qp2015_geojson, QpvGeneration.QPV_2015, ref, keep, by_code, track, population)
    missing = sorted(
        c for c, row in ref.qpvs.items() if row["generation"] == 2015 and row["population"] is None
    )
    if missing:
        ref.report["warnings"].append(f"QPV 2015 without population in the characteristics CSV: {missing}")


def _build_crosswalk(ref: Reference, track) -> None:
    by_generation = defaultdict(dict)
    for code, row in ref.qpvs.items():
        by_generation[row["generation"]][code] = (row["_shape"], row["departement_id"])
    pairs = compute_crosswalk(by_generation[2015], by_generation[2024], track=track)
    ref.crosswalk = {
        (pair.code_2015, pair.code_2024): {
            "share_of_2015_area": pair.share_of_2015_area,
            "share_of_2024_area": pair.share_of_2024_area,
        }
        for pair in pairs
    }
    for row in ref.qpvs.values():
        row.pop("_shape")
