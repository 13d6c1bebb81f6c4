"""Inside vs outside QPV: the same figures for the part of a territory inside QPVs, the 300 m band around them
and the rest, side by side with the whole (the table the 2019 and 2022 national studies built by hand)."""

from django.utils.translation import gettext as _

from essor.observatory.figures import FAMILIES
from essor.observatory.indicators import load_figures
from essor.observatory.scope import Scope
from essor.sirene.models import Family, Zone

COMPARED_KINDS = ("france", "region", "departement", "epci", "commune")
COLUMN_ZONES = ("qpv", "proximite", "hors_qpv", "all")


def zone_label(zone: str) -> str:
    return _("Whole territory") if zone == "all" else str(Zone(zone).label)


def comparison(release, scope: Scope, figures_by_zone: dict[str, dict] | None = None) -> dict | None:
    """Columns (one per zone) and rows (one per figure); None for a QPV (it has no inside and outside)."""
    if scope.kind not in COMPARED_KINDS:
        return None
    if figures_by_zone is None:
        loaded = load_figures(release, [(scope, zone) for zone in COLUMN_ZONES])
        figures_by_zone = dict(zip(COLUMN_ZONES, loaded, strict=True))
    total_ess = figures_by_zone["all"]["establishments"]["ess"]
    columns = []
    for zone in COLUMN_ZONES:
        figures = figures_by_zone[zone]
        establishments = figures["establishments"]
        ess_employees = figures["employees_estimate"]["ess"]
        columns.append(
            {
                "zone": zone,
                "label": zone_label(zone),
                "active": establishments["active"],
                "ess": establishments["ess"],
                "ess_share": establishments["ess_share"],
                "share_of_territory_ess": (establishments["ess"] / total_ess) if total_ess else None,
                "employer": establishments["employer"],
                "ess_employer": establishments["ess_employer"],
                "ess_employees_low": ess_employees["low"],
                "ess_employees_high": ess_employees["high"],
                **{family: establishments["ess_by_family"][family] for family in FAMILIES},
            }
        )
    metrics = [
        ("active", _("Active establishments"), "int"),
        ("ess", _("ESS establishments"), "int"),
        ("ess_share", _("ESS share of active establishments"), "pct"),
        ("share_of_territory_ess", _("Share of the territory's ESS establishments"), "pct"),
        *[(family, str(Family(family).label), "int") for family in FAMILIES],
        ("employer", _("Employer establishments"), "int"),
        ("ess_employer", _("ESS employer establishments"), "int"),
        ("ess_employees_low", _("ESS employees, low estimate"), "int"),
        ("ess_employees_high", _("ESS employees, high estimate"), "int"),
    ]
    rows = [
        {"key": key, "label": label, "format": fmt, "values": [column[key] for column in columns]}
        for key, label, fmt in metrics
    ]
    return {"columns": columns, "rows": rows}
