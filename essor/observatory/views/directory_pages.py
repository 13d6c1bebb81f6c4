"""The directory of a territory's ESS establishments: the filtered, paginated page and its CSV/XLSX/GeoJSON exports
(immediate up to ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS rows, written by the task worker beyond: export_pages)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.core import ratelimit
from essor.observatory import directory as directory_domain
from essor.observatory import directory_export as export_file
from essor.observatory import export_jobs
from essor.observatory.views.common import as_attachment, csv_decimal, no_release, query, scope_or_404
from essor.sirene.models import Family, Release, Zone

EXPORT_FORMATS = export_file.FORMATS
DIRECTORY_XLSX_MAX_ROWS = export_file.XLSX_MAX_ROWS


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
    count = directory_domain.filtered_count(release, scope, filters)  # the release's cached COUNT
    if fmt == "xlsx" and count > DIRECTORY_XLSX_MAX_ROWS:
        csv_url = reverse("observatory:directory_export", args=[kind, code, "csv"])
        context = {"limit": DIRECTORY_XLSX_MAX_ROWS, "csv_url": f"{csv_url}?{request.GET.urlencode()}"}
        return render(request, "observatory/export_too_large.html", context, status=413)
    decimal = csv_decimal(request)
    if export_jobs.needs_background(count):
        job = export_jobs.start(release, scope, filters, fmt, decimal, count)
        return redirect("observatory:export_status", token=job.token)
    chunks = export_file.chunks(release, scope, filters, fmt, decimal)
    response = HttpResponse(b"".join(chunks)) if fmt == "xlsx" else StreamingHttpResponse(chunks)
    return as_attachment(response, fmt, export_file.filename(release, scope, fmt))
