"""The directory of a territory's ESS establishments: the filtered, paginated page and its CSV/XLSX/GeoJSON exports."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.core import ratelimit
from essor.observatory import directory as directory_domain
from essor.observatory import exports
from essor.observatory.views.common import (
    as_attachment,
    csv_decimal,
    export_notes,
    no_release,
    query,
    scope_or_404,
)
from essor.sirene.models import Family, Release, Zone

EXPORT_FORMATS = ("csv", "xlsx", "geojson")
DIRECTORY_KINDS = {"lon": ("dec", 6), "lat": ("dec", 6)}
# A workbook is built in memory before the first byte is sent (~3 s per 10,000 rows here): beyond this, the CSV,
# which streams row by row, is offered instead, so that one request cannot hold a worker for long.
DIRECTORY_XLSX_MAX_ROWS = 20_000


def _directory_state(request, kind, code):
    release = Release.objects.active()
    scope = scope_or_404(kind, code)
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
        return no_release(request, scope)
    if filters is None:
        return HttpResponseBadRequest(_("Invalid filter."))
    paginator = Paginator(rows, directory_domain.PAGE_SIZE)
    paginator.count = directory_domain.filtered_count(release, scope, filters)  # the release's cached COUNT
    page = paginator.get_page(request.GET.get("page"))
    records = directory_domain.public_records(page.object_list)
    for record in records:
        record["url"] = reverse("observatory:establishment", kwargs={"siret": record["siret"]})
    params = filters.as_params()
    sort_links = {
        key: {
            "url": "?" + query({**params, "sort": key}),
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
        "query": query(params),
        "page_query": query({key: value for key, value in params.items() if key != "page"}),
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


def _labelled(records):
    """Words rather than codes in exports: Yes / No for the employer flag."""
    yes, no = _("Yes"), _("No")
    for record in records:
        record["employer"] = yes if record["employer"] else no
        yield record


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
            decimal=csv_decimal(request),
            source=" — ".join(export_notes(release, scope)),
        )
        response = StreamingHttpResponse(chunks)
    elif fmt == "xlsx":
        if rows.count() > DIRECTORY_XLSX_MAX_ROWS:
            csv_url = reverse("observatory:directory_export", args=[kind, code, "csv"])
            context = {"limit": DIRECTORY_XLSX_MAX_ROWS, "csv_url": f"{csv_url}?{request.GET.urlencode()}"}
            return render(request, "observatory/export_too_large.html", context, status=413)
        notes = export_notes(release, scope)
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
    return as_attachment(response, fmt, filename)
