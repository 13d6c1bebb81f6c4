"""Find territories by name or code: accent-, case- and hyphen-insensitive, best matches first.

    >>> [r.name for r in search("lyon", limit=2)]
    ['Métropole de Lyon', 'Lyon']

Names are looked up in SearchEntry, a narrow table filled by the loader. Ranking: a code (INSEE, SIREN, QPV, département) first; then exact names (an EPCI also matches on its name
without its generic words: "Métropole de Lyon" is an exact match for "lyon"), then names starting with the
query, then names with a word starting with it, then names containing every word; within a rank, larger kinds
first (région, département, EPCI, commune, QPV), then larger populations.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from essor.territories.identifiers import TerritoryRef, parse_identifier
from essor.territories.models import (
    Commune,
    CommuneKind,
    Departement,
    Epci,
    Qpv,
    QpvGeneration,
    Region,
    SearchEntry,
    qpv_generation_of,
)
from essor.territories.normalize import normalize_name

KIND_ORDER = {"region": 0, "departement": 1, "epci": 2, "commune": 3, "qpv": 4}
MODELS = {"region": Region, "departement": Departement, "epci": Epci, "commune": Commune, "qpv": Qpv}
CANDIDATES_PER_QUERY = 200
_CODE = re.compile(r"^(?:\d{2,3}|2[AB]|\d{5}|2[AB]\d{3}|\d{9}|Q[NP][0-9AB]{3}\d{2}[0-9A-Z])$", re.ASCII)

# Score tiers (lower is better).
CODE, EXACT, PREFIX, WORD_PREFIX, CONTAINS = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class SearchResult:
    kind: str
    code: str
    name: str
    context: str  # where it is: département of a commune, communes of a QPV, région of a département...
    population: int | None
    score: int  # tier: 0 code, 1 exact name, 2 prefix, 3 word prefix, 4 contains
    ref: TerritoryRef

    @property
    def identifier(self) -> str:
        return f"{self.kind}:{self.code}"


def _tier(query: str, search_name: str, alt_name: str) -> int:
    names = [search_name, alt_name] if alt_name else [search_name]
    if query in names:
        return EXACT
    if any(name.startswith(query) for name in names):
        return PREFIX
    if f" {query}" in f" {search_name}":
        return WORD_PREFIX
    return CONTAINS


def _code_matches(text: str) -> list[tuple[str, str]]:
    if ":" in text:  # a full identifier, e.g. commune:31555
        try:
            kind, code = parse_identifier(text)
        except ValueError:
            return []
        exists = SearchEntry.objects.filter(identifier=f"{kind}:{code}").exists()
        return [(kind, code)] if exists else []
    code = text.strip().upper()
    if not _CODE.match(code):
        return []
    identifiers = [f"{kind}:{code}" for kind in MODELS]
    found = [
        tuple(row)
        for row in SearchEntry.objects.filter(identifier__in=identifiers).values_list("kind", "code")
    ]
    if not found and len(code) == 5 and code.isdigit():  # a postcode: the communes it serves
        rows = Commune.objects.filter(postcodes__contains=code, kind=CommuneKind.COMMUNE).values_list("code")
        found = [("commune", row[0]) for row in rows[:10]]
    return found


def _candidates(query: str, kinds=None) -> dict[tuple[str, str], tuple[int, int | None]]:
    """{(kind, code): (tier, population)} for names matching the normalised query: two indexed queries per kind,
    so that many communes named alike never crowd out the QPVs (which have no population to rank them)."""
    if connection.vendor == "sqlite":  # a range uses the index (SQLite's LIKE does not); binary collation
        end = query + "\uffff"
        starts = Q(search_name__gte=query, search_name__lt=end) | Q(alt_name__gte=query, alt_name__lt=end)
    else:  # linguistic collations (PostgreSQL) do not order text by code point: use LIKE 'q%'
        starts = Q(search_name__startswith=query) | Q(alt_name__startswith=query)
    contains = Q(*[Q(search_name__contains=word) for word in query.split()])
    found = {}
    # The best CANDIDATES_PER_QUERY of each kind (a window per kind, one query per condition).
    per_kind = Window(
        RowNumber(),
        partition_by=[F("kind")],
        order_by=[F("population").desc(nulls_last=True), F("identifier")],
    )
    for condition in (starts, contains):
        rows = SearchEntry.objects.filter(condition)
        if kinds:
            rows = rows.filter(kind__in=kinds)
        rows = (
            rows.annotate(rank_in_kind=per_kind)
            .filter(rank_in_kind__lte=CANDIDATES_PER_QUERY)
            .values_list("kind", "code", "search_name", "alt_name", "population")
        )
        for kind, code, search_name, alt_name, population in rows:
            found.setdefault((kind, code), (_tier(query, search_name, alt_name), population))
    return found


def _rank(item) -> tuple:
    """Best first: tier, larger kinds, the current QPV generation (QN… 2024) before the former (QP… 2015), then
    larger populations."""
    (kind, code), (tier, population) = item
    former_qpv = kind == "qpv" and qpv_generation_of(code) == QpvGeneration.QPV_2015
    return (tier, KIND_ORDER[kind], former_qpv, -(population or 0), code)


def _scored(text: str, kinds=None) -> list:
    normalized = normalize_name(text)
    if not normalized:
        return []
    scored = {key: (CODE, None) for key in _code_matches(text) if kinds is None or key[0] in kinds}
    for key, value in _candidates(normalized, kinds).items():
        scored.setdefault(key, value)
    return sorted(scored.items(), key=_rank)


def search(query: str, limit: int = 50) -> list[SearchResult]:
    """Territories matching `query` (a name or a code), best first; at most `limit`."""
    return _results(_scored((query or "").strip())[:limit])


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    results: list[SearchResult]
    total: int  # matches of this kind (the first CANDIDATES_PER_QUERY of each condition)

    @property
    def more(self) -> int:
        return self.total - len(self.results)


def grouped_search(query: str, per_kind: int = 8, kind: str | None = None) -> list[SearchGroup]:
    """Matches grouped by kind (région, département, EPCI, commune, QPV), at most `per_kind` each, best first;
    `kind` keeps one kind only. Each group says how many more it has."""
    kinds = [kind] if kind in KIND_ORDER else None
    by_kind: dict[str, list] = {}
    for item in _scored((query or "").strip(), kinds):
        by_kind.setdefault(item[0][0], []).append(item)
    shown = [item for items in by_kind.values() for item in items[:per_kind]]
    results = _results(shown)
    groups = []
    for name in KIND_ORDER:
        if name in by_kind:
            members = [result for result in results if result.kind == name]
            groups.append(SearchGroup(kind=name, results=members, total=len(by_kind[name])))
    return groups


def _results(ranked) -> list[SearchResult]:
    objects = _fetch([key for key, _value in ranked])
    results = []
    for (kind, code), (tier, _population) in ranked:
        obj = objects.get((kind, code))
        if obj is None:
            continue
        results.append(
            SearchResult(
                kind=kind,
                code=code,
                name=obj.name,
                context=_context(kind, obj),
                population=obj.population,
                score=tier,
                ref=TerritoryRef(kind=kind, code=code, name=obj.name, obj=obj),
            )
        )
    return results


def _fetch(keys) -> dict:
    by_kind: dict[str, list[str]] = {}
    for kind, code in keys:
        by_kind.setdefault(kind, []).append(code)
    related = {"departement": ["region"], "commune": ["departement", "parent"], "qpv": ["departement"]}
    objects = {}
    for kind, codes in by_kind.items():
        queryset = MODELS[kind].objects.filter(pk__in=codes)
        if kind in related:
            queryset = queryset.select_related(*related[kind])
        if kind == "qpv":
            queryset = queryset.prefetch_related("communes").defer("geometry", "geojson")
        for obj in queryset:
            objects[(kind, obj.pk)] = obj
    return objects


def _context(kind: str, obj) -> str:
    if kind == "departement":
        return obj.region.name if obj.region_id else ""
    if kind == "epci":
        return str(obj.get_nature_display())
    if kind == "commune":
        where = f"{obj.departement.name} ({obj.departement_id})" if obj.departement_id else ""
        if obj.parent_id:
            return f"{obj.parent.name}, {where}" if where else obj.parent.name
        return where
    if kind == "qpv":
        names = ", ".join(sorted(commune.name for commune in obj.communes.all()))
        return f"{names} — QPV {obj.generation}" if names else f"QPV {obj.generation}"
    return ""
