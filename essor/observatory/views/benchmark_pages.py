"""The benchmark of metropolises and large EPCIs: the sortable table and its CSV/XLSX exports."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.observatory import benchmark as benchmark_domain
from essor.observatory import exports
from essor.observatory.figures import FAMILIES
from essor.observatory.views.common import (
    as_attachment,
    csv_decimal,
    export_notes,
    get_scope_url,
    no_release,
    query,
)
from essor.sirene.models import Release
from essor.territories.models import EpciNature

BENCHMARK_FORMATS = {"nature": "text", "ess_share": "pct", "ess_in_qpv_share": "pct", "ess_per_1000": "dec"}
BENCHMARK_KINDS = {
    **{key: ("int", 0) for key in ("population", "active", "ess", "qpv_count", "ess_in_qpv", *FAMILIES)},
    "ess_share": ("share", 1),
    "ess_in_qpv_share": ("share", 1),
    "ess_per_1000": ("dec", 2),
}


@require_GET
def benchmark(request):
    release = Release.objects.active()
    if release is None:
        return no_release(request)
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
                "url": "?" + query([*base, ("sort", key), ("order", next_order)]),
                "aria_sort": ("descending" if selection.descending else "ascending") if active else None,
                "numeric": key not in ("name", "nature"),
                "value_key": "nature_label" if key == "nature" else key,
                "figure": key not in ("name", "nature", "population"),
                "format": BENCHMARK_FORMATS.get(key, "int"),
            }
        )
    first_figure = next(header for header in headers if header["figure"])
    first_figure["first_figure"] = True  # an uncovered row says so there, once
    current = query([*base, ("sort", selection.sort), ("order", "desc" if selection.descending else "asc")])
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
                (fmt.upper(), reverse("observatory:benchmark_export", kwargs={"fmt": fmt}) + "?" + current)
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
    notes = export_notes(release)
    if fmt == "csv":
        chunks = exports.csv_chunks(
            columns, rows, kinds=BENCHMARK_KINDS, decimal=csv_decimal(request), source=" — ".join(notes)
        )
        response = HttpResponse("".join(chunks))
    else:
        response = HttpResponse(
            exports.xlsx_bytes(
                columns, rows, _("Benchmark"), notes, kinds=BENCHMARK_KINDS, notes_title=_("About")
            )
        )
    return as_attachment(response, fmt, filename)
