"""Observatory pages: thin views over the domain modules (indicators, comparison, benchmark, directory)."""

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.core import ratelimit
from essor.core.pdf import write_pdf
from essor.observatory import benchmark as benchmark_domain
from essor.observatory import charts as charts_domain
from essor.observatory import directory as directory_domain
from essor.observatory import exports, factsheet
from essor.observatory.comparison import comparison
from essor.observatory.figures import FAMILIES
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.profile import observatory_profile
from essor.observatory.releases import UnknownRelease, requested_release
from essor.observatory.scope import get_scope
from essor.sirene.models import EssEstablishment, Family, Release, Zone
from essor.sirene.territory_filter import ZONES
from essor.territories.identifiers import UnknownTerritory
from essor.territories.models import EpciNature

MAP_POINTS_MAX = 5_000
EXPORT_FORMATS = ("csv", "xlsx", "geojson")


def _scope_or_404(kind: str, code: str):
    try:
        return get_scope(kind, code)
    except UnknownTerritory:
        raise Http404(f"No territory {kind}:{code}") from None


def _no_release(request, scope=None):
    return render(request, "observatory/no_release.html", {"scope": scope}, status=200)


@require_GET
def profile(request, kind: str, code: str):
    """A printable fact sheet: the observatory section of the territory page, on its own."""
    scope = _scope_or_404(kind, code)
    return render(
        request, "observatory/profile.html", {"scope": scope, **observatory_profile(scope, request)}
    )


@require_GET
def factsheet_pdf(request, kind: str, code: str):
    """The territorial fact sheet as a PDF of two A4 pages: key figures, tables, charts and a static map."""
    scope = _scope_or_404(kind, code)
    release = Release.objects.active()
    if release is None:
        raise Http404("No release")
    document = factsheet.factsheet_document(request, release, scope)
    response = HttpResponse(write_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{factsheet.filename(release, scope)}"'
    return response


@require_GET
def chart(request, kind: str, code: str, name: str):
    if name not in charts_domain.CHARTS:
        raise Http404(name)
    try:
        release = requested_release(request)  # ?release=VINTAGE: a kept older release's chart
    except UnknownRelease:
        raise Http404("release") from None
    if release is None:
        raise Http404("No release")
    scope = _scope_or_404(kind, code)
    zone = request.GET.get("zone", "all")
    if zone not in ZONES:
        zone = "all"
    try:
        document = indicators_document(release, scope, zone)
    except NotCovered:
        raise Http404("Not covered by this release") from None
    compared = comparison(release, scope) if name == "zones" else None
    if name == "zones" and compared is None:
        raise Http404(name)
    svg = charts_domain.render_svg(charts_domain.build_spec(name, document, compared))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _directory_state(request, kind, code):
    release = Release.objects.active()
    scope = _scope_or_404(kind, code)
    if release is None:
        return release, scope, None, None
    try:
        filters = directory_domain.DirectoryFilters.parse(request.GET)
    except directory_domain.InvalidFilter:
        filters = None
    return release, scope, filters, directory_domain.filtered(release, scope, filters) if filters else None


@require_GET
def directory(request, kind: str, code: str):
    release, scope, filters, rows = _directory_state(request, kind, code)
    if release is None:
        return _no_release(request, scope)
    if filters is None:
        return HttpResponseBadRequest(_("Invalid filter."))
    paginator = Paginator(rows, directory_domain.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    records = directory_domain.public_records(page.object_list)
    for record in records:
        record["url"] = reverse("observatory:establishment", kwargs={"siret": record["siret"]})
    params = filters.as_params()
    sort_links = {
        key: {
            "url": "?" + _query({**params, "sort": key}),
            "active": filters.sort.lstrip("-") == key.lstrip("-"),
        }
        for key in directory_domain.SORTS
    }
    context = {
        "release": release,
        "scope": scope,
        "filters": filters,
        "page": page,
        "records": records,
        "families": Family.choices,
        "zones": Zone.choices,
        "facets": directory_domain.facet_choices(release, scope),
        "sorts": _sort_choices(),
        "sort_links": sort_links,
        "query": _query(params),
        "page_query": _query({key: value for key, value in params.items() if key != "page"}),
        "exports": [
            (
                fmt.upper(),
                reverse("observatory:directory_export", kwargs={"kind": kind, "code": code, "fmt": fmt}),
            )
            for fmt in EXPORT_FORMATS
        ],
        "profile_url": scope.territory_url()
        or reverse("observatory:profile", kwargs={"kind": kind, "code": code}),
    }
    return render(request, "observatory/directory.html", context)


def _sort_choices():
    return [
        ("name", _("Name (A to Z)")),
        ("-name", _("Name (Z to A)")),
        ("-created", _("Most recent first")),
        ("created", _("Oldest first")),
        ("commune", _("Commune")),
        ("naf", _("Activity code")),
    ]


def _query(params) -> str:
    return urlencode(params)


def directory_columns() -> list[tuple[str, str]]:
    return [
        ("siret", "siret"),
        ("name", _("Name")),
        ("family_label", _("Family")),
        ("legal_category", _("Legal category")),
        ("naf", _("Activity (NAF)")),
        ("naf_label", _("NAF division")),
        ("band_label", _("Employee size band")),
        ("employer", _("Employer")),
        ("created_on", _("Creation date")),
        ("address", _("Address")),
        ("postcode", _("Postcode")),
        ("commune_code", _("Commune code")),
        ("commune", _("Commune")),
        ("zone_label", _("Zone")),
        ("qpv24_code", _("QPV 2024")),
        ("near_qpv24_code", _("QPV within 300 m")),
        ("lon", _("Longitude")),
        ("lat", _("Latitude")),
    ]


def _records_stream(rows, chunk: int = 2_000):
    """Public records of a queryset, read in chunks (constant memory on a national export)."""
    batch = []
    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            yield from directory_domain.public_records(batch)
            batch = []
    yield from directory_domain.public_records(batch)


# A workbook is built in memory before the first byte is sent (~3 s per 10,000 rows here): beyond this, the CSV,
# which streams row by row, is offered instead, so that one request cannot hold a worker for long.
DIRECTORY_XLSX_MAX_ROWS = 20_000


@require_GET
def directory_export(request, kind: str, code: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404(fmt)
    # A national export reads tens of thousands of rows: a per-client limit keeps workers free for everyone.
    if not ratelimit.allow("directory-export", ratelimit.client_key(request)):
        return ratelimit.too_many_requests(request, "directory-export")
    release, scope, filters, rows = _directory_state(request, kind, code)
    if release is None:
        raise Http404("No release")
    if filters is None:
        return HttpResponseBadRequest(_("Invalid filter."))
    filename = f"essor-annuaire-{scope.kind}-{scope.code}-{release.vintage.isoformat()}.{fmt}"
    columns = directory_columns()
    records = _labelled(_records_stream(rows))
    if fmt == "csv":
        chunks = exports.csv_chunks(
            columns,
            records,
            kinds=DIRECTORY_KINDS,
            decimal=_csv_decimal(request),
            source=" — ".join(_export_notes(release, scope)),
        )
        response = StreamingHttpResponse(chunks)
    elif fmt == "xlsx":
        if rows.count() > DIRECTORY_XLSX_MAX_ROWS:
            csv_url = reverse("observatory:directory_export", args=[kind, code, "csv"])
            context = {"limit": DIRECTORY_XLSX_MAX_ROWS, "csv_url": f"{csv_url}?{request.GET.urlencode()}"}
            return render(request, "observatory/export_too_large.html", context, status=413)
        notes = _export_notes(release, scope)
        response = HttpResponse(
            exports.xlsx_bytes(
                columns, records, _("Directory"), notes, kinds=DIRECTORY_KINDS, notes_title=_("About")
            )
        )
    else:
        metadata = {
            "territory": scope.as_json(),
            "release": {"vintage": release.vintage.isoformat(), "synthetic": release.synthetic},
            "filters": filters.as_params(),
            "licence": "Licence Ouverte 2.0 (INSEE SIRENE, ANCT)",
        }
        properties = [key for key, _header in columns if key not in ("lon", "lat")]
        response = StreamingHttpResponse(exports.geojson_chunks(_records_stream(rows), properties, metadata))
    response["Content-Type"] = exports.CONTENT_TYPES[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DIRECTORY_KINDS = {"lon": ("dec", 6), "lat": ("dec", 6)}
BENCHMARK_FORMATS = {"nature": "text", "ess_share": "pct", "ess_in_qpv_share": "pct", "ess_per_1000": "dec"}
BENCHMARK_KINDS = {
    **{key: ("int", 0) for key in ("population", "active", "ess", "qpv_count", "ess_in_qpv", *FAMILIES)},
    "ess_share": ("share", 1),
    "ess_in_qpv_share": ("share", 1),
    "ess_per_1000": ("dec", 2),
}


def _csv_decimal(request) -> str:
    """Decimal comma and ';' by default (French spreadsheets); `?decimal=point` gives '.' and ','."""
    return exports.DECIMALS.get(request.GET.get("decimal", "comma"), ",")


def _labelled(records):
    """Words rather than codes in exports: Yes / No for the employer flag."""
    yes, no = _("Yes"), _("No")
    for record in records:
        record["employer"] = yes if record["employer"] else no
        yield record


def _export_notes(release, scope=None) -> list[str]:
    notes = [f"essor — {scope.name} ({scope.identifier})"] if scope is not None else []
    notes += [
        _("SIRENE release of %(vintage)s") % {"vintage": date_format(release.vintage, "DATE_FORMAT")},
        _("Source: INSEE SIRENE, ANCT QPV perimeters — Licence Ouverte 2.0"),
    ]
    if release.synthetic:
        notes.append(_("Synthetic demonstration data: not real establishments."))
    return notes


@require_GET
def map_points(request, kind: str, code: str):
    """The located ESS establishments of a territory as GeoJSON points for the map (at most MAP_POINTS_MAX)."""
    release = Release.objects.active()
    scope = _scope_or_404(kind, code)
    features = []
    if release is not None:
        rows = (
            directory_domain.establishments_of(release, scope)
            .mappable()  # located, and never a person's address
            .order_by("siret")
            .values_list("siret", "name", "lon", "lat")[:MAP_POINTS_MAX]
        )
        pattern = reverse("observatory:establishment", kwargs={"siret": "00000000000000"})
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "url": pattern.replace("00000000000000", siret)},
            }
            for siret, name, lon, lat in rows
        ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def establishment(request, siret: str):
    release = Release.objects.active()
    if release is None:
        return _no_release(request)
    row = EssEstablishment.objects.filter(release=release, siret=siret).first()
    if row is None:
        raise Http404(siret)
    record = directory_domain.public_records([row])[0]
    map_config = None
    if record["lat"] is not None:
        map_config = {
            "bounds": [
                [record["lat"] - 0.004, record["lon"] - 0.006],
                [record["lat"] + 0.004, record["lon"] + 0.006],
            ],
            "contours": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
                        "properties": {"name": record["name"]},
                    }
                ],
            },
            "labels": {
                "zoomIn": _("Zoom in"),
                "zoomOut": _("Zoom out"),
                "error": _("The map could not be loaded."),
            },
        }
    commune_url = None
    if record["commune_code"]:
        commune_url = get_scope_url("commune", record["commune_code"])
    qpv_url = get_scope_url("qpv", record["qpv24_code"]) if record["qpv24_code"] else None
    return render(
        request,
        "observatory/establishment.html",
        {
            "release": release,
            "record": record,
            "map_config": map_config,
            "commune_url": commune_url,
            "qpv_url": qpv_url,
        },
    )


def get_scope_url(kind: str, code: str) -> str | None:
    try:
        return reverse("territories:detail", kwargs={"kind": kind, "code": code})
    except Exception:
        return None


@require_GET
def benchmark(request):
    release = Release.objects.active()
    if release is None:
        return _no_release(request)
    try:
        selection = benchmark_domain.Selection.parse(request.GET)
        error = None
    except ValueError as exc:
        selection, error = benchmark_domain.Selection(), str(exc)
    rows = benchmark_domain.benchmark_rows(release, selection)
    for row in rows:
        row["url"] = get_scope_url("epci", row["code"]) or reverse(
            "observatory:profile", kwargs={"kind": "epci", "code": row["code"]}
        )
    base = _selection_params(selection)
    headers = []
    columns = [(key, label) for key, label in benchmark_domain.columns() if key != "code"]
    # The sorted column comes right after the name, so both stay in view however wide the table is.
    columns.sort(key=lambda column: 0 if column[0] == "name" else 1 if column[0] == selection.sort else 2)
    for key, label in columns:
        active = selection.sort == key
        next_order = "asc" if (active and selection.descending) else "desc"
        if not active and key in ("name", "nature"):
            next_order = "asc"
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + _query([*base, ("sort", key), ("order", next_order)]),
                "aria_sort": ("descending" if selection.descending else "ascending") if active else None,
                "numeric": key not in ("name", "nature"),
                "value_key": "nature_label" if key == "nature" else key,
                "figure": key not in ("name", "nature", "population"),
                "format": BENCHMARK_FORMATS.get(key, "int"),
            }
        )
    first_figure = next(header for header in headers if header["figure"])
    first_figure["first_figure"] = True  # an uncovered row says so there, once
    query = _query([*base, ("sort", selection.sort), ("order", "desc" if selection.descending else "asc")])
    return render(
        request,
        "observatory/benchmark.html",
        {
            "release": release,
            "selection": selection,
            "error": error,
            "rows": rows,
            "headers": headers,
            "natures": [(nature, EpciNature(nature).label) for nature in benchmark_domain.PICKABLE_NATURES],
            "exports": [
                (fmt.upper(), reverse("observatory:benchmark_export", kwargs={"fmt": fmt}) + "?" + query)
                for fmt in ("csv", "xlsx")
            ],
        },
    )


def _selection_params(selection) -> list[tuple[str, str]]:
    params = [("nature", nature) for nature in selection.natures]
    if selection.min_population:
        params.append(("min_population", str(selection.min_population)))
    if selection.codes:
        params.append(("epci", ",".join(selection.codes)))
    return params


@require_GET
def benchmark_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404(fmt)
    release = Release.objects.active()
    if release is None:
        raise Http404("No release")
    try:
        selection = benchmark_domain.Selection.parse(request.GET)
    except ValueError:
        return HttpResponseBadRequest(_("Invalid parameter."))
    rows = benchmark_domain.benchmark_rows(release, selection)
    # The nature in words ("Métropole"), not its code (METRO).
    columns = [
        ("nature_label" if key == "nature" else key, label) for key, label in benchmark_domain.columns()
    ]
    filename = f"essor-metropoles-{release.vintage.isoformat()}.{fmt}"
    notes = _export_notes(release)
    if fmt == "csv":
        chunks = exports.csv_chunks(
            columns, rows, kinds=BENCHMARK_KINDS, decimal=_csv_decimal(request), source=" — ".join(notes)
        )
        response = HttpResponse("".join(chunks))
    else:
        response = HttpResponse(
            exports.xlsx_bytes(
                columns, rows, _("Benchmark"), notes, kinds=BENCHMARK_KINDS, notes_title=_("About")
            )
        )
    response["Content-Type"] = exports.CONTENT_TYPES[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
