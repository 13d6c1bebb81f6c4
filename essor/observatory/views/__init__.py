"""Observatory pages, one module per page: thin views over the domain modules (indicators, comparison, benchmark,
directory). `essor/observatory/urls.py` names them as `views.NAME`; a new page goes in its own module here and is
re-exported below."""

from essor.observatory.views.benchmark_pages import benchmark, benchmark_export
from essor.observatory.views.directory_pages import directory, directory_export
from essor.observatory.views.establishment_pages import establishment
from essor.observatory.views.export_pages import export_download, export_status
from essor.observatory.views.quality_pages import quality_report, quality_reports
from essor.observatory.views.territory_pages import chart, factsheet_pdf, map_points, profile

__all__ = [
    "benchmark",
    "benchmark_export",
    "chart",
    "directory",
    "directory_export",
    "establishment",
    "export_download",
    "export_status",
    "factsheet_pdf",
    "map_points",
    "profile",
    "quality_report",
    "quality_reports",
]
