"""Open-data pages (download page, one page per release), the files themselves, and the DCAT catalogue."""

import datetime as dt

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from essor.core.urls_absolute import absolute_url
from essor.diffusion import dcat, opendata
from essor.diffusion.structured_data import dataset_jsonld
from essor.diffusion.tables import TABLES

FILE_CACHE_SECONDS = 86_400


def _vintage_or_404(vintage: str) -> dt.date:
    try:
        return dt.date.fromisoformat(vintage)
    except ValueError:
        raise Http404(vintage) from None


def _files(release, package) -> list[dict]:
    """The package's resources for a page: name, format, size, checksum, download URL."""
    files = []
    tables = {table.name: table for table in TABLES}
    english = (get_language() or "fr").startswith("en")
    for resource in package["resources"]:
        table = tables.get(resource["name"].rsplit("-", 1)[0])
        title = (table.title_en if english else table.title_fr) if table else resource["title"]
        files.append(
            {
                "title": title,
                "format": opendata.FORMATS[resource["format"]]["label"],
                "bytes": resource["bytes"],
                "rows": resource.get("essor:rows"),
                "sha256": resource["hash"].removeprefix("sha256:"),
                "url": dcat.opendata_file_path(release, resource["path"]),
            }
        )
    return files


@require_GET
def opendata_index(request):
    releases = [
        {
            "release": release,
            "package_url": dcat.opendata_file_path(release, opendata.PACKAGE_FILE),
            "page_url": dcat.release_page_path(release, request.LANGUAGE_CODE),
            "files": _files(release, package),
        }
        for release, package in opendata.published_releases()
    ]
    return render(
        request, "diffusion/opendata_index.html", {"releases": releases, "licence": opendata.LICENCE}
    )


@require_GET
def opendata_release(request, vintage: str):
    release = opendata.release_for_vintage(_vintage_or_404(vintage))
    if release is None:
        raise Http404(vintage)
    package = opendata.read_package(release)

    def absolute(path):
        return absolute_url(path, request)

    return render(
        request,
        "diffusion/opendata_release.html",
        {
            "release": release,
            "package": package,
            "package_url": dcat.opendata_file_path(release, opendata.PACKAGE_FILE),
            "files": _files(release, package),
            "licence": opendata.LICENCE,
            "structured_data": dataset_jsonld(absolute, release, package, request.LANGUAGE_CODE),
        },
    )


@require_GET
def opendata_file(request, vintage: str, name: str):
    """One file of a published package (only the files its datapackage.json lists, and that file itself)."""
    release = opendata.release_for_vintage(_vintage_or_404(vintage))
    if release is None:
        raise Http404(vintage)
    package = opendata.read_package(release)
    resources = {resource["path"]: resource for resource in package["resources"]}
    if name != opendata.PACKAGE_FILE and name not in resources:
        raise Http404(name)
    path = opendata.package_dir(release) / name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404(name) from None
    if name == opendata.PACKAGE_FILE:
        content_type = "application/json"
    else:
        content_type = resources[name]["mediatype"] + ("; charset=utf-8" if name.endswith(".csv") else "")
    response = FileResponse(handle, content_type=content_type, as_attachment=name != opendata.PACKAGE_FILE)
    response["Cache-Control"] = f"public, max-age={FILE_CACHE_SECONDS}"
    if name in resources:  # a release's files never change: the checksum is the validator
        response["ETag"] = '"' + resources[name]["hash"].removeprefix("sha256:") + '"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalog(request):
    """DCAT-AP in JSON-LD, paged with Hydra (`?page=N`)."""
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    document = dcat.catalogue(
        lambda path: absolute_url(path, request), page=page, page_size=settings.ESSOR_DCAT_PAGE_SIZE
    )
    if document is None:
        return JsonResponse({"error": {"code": "page_out_of_range", "message": "No such page."}}, status=404)
    response = JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
