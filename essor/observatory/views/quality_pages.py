"""The public quality reports of the SIRENE releases: the list of kept releases and one report per release.

The counts come from `essor.sirene.quality.public_report` (an allow-list: counts only, never the samples of the
stored report, which may name a person); the pages format and lay them out.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from essor.sirene.quality import public_report, published_releases


@require_GET
def quality_reports(request):
    """Every release whose report is public, newest first (an empty state before the first ingestion)."""
    return render(request, "observatory/quality_list.html", {"releases": list(published_releases())})


@require_GET
def quality_report(request, pk: int):
    release = published_releases().filter(pk=pk).first()
    if release is None:
        raise Http404(f"No published release {pk}")
    return render(request, "observatory/quality_report.html", {"quality": public_report(release)})


def methodology_section(request, obj) -> dict:
    """The methodology page's section: where the quality reports are, and the serving release's one."""
    return {"serving": published_releases().filter(is_active=True).first()}
