"""A QPV beside the rest of its commune(s), its EPCI and France: the comparison of journey 1 (DESIGN §2).

"The rest of its commune(s)" is the part of the QPV's communes outside every QPV of its generation: for a QPV
2024, the zones `proximite` and `hors_qpv` of those communes (the commune minus all its QPVs, not only this one;
establishments that could not be located count there, as in `hors_qpv`); for a QPV 2015, the rows attributed to
no QPV 2015. A QPV spanning several communes is compared with the rest of those communes together, and the page
says so. Figures come from the observatory's one implementation (figures.py, indicators.py, coverage.py);
populations from the territories app (docs/methodology.md, "A QPV compared").
"""

from django.utils.translation import gettext as _

from essor.observatory.coverage import is_covered, per_1000
from essor.observatory.figures import FAMILIES, figures_where
from essor.observatory.indicators import load_figures, share
from essor.observatory.releases import UnknownRelease, requested_release
from essor.observatory.scope import Scope, france, scope_from_ref
from essor.sirene.models import Family, Release
from essor.sirene.territory_filter import outside_qpvs_q
from essor.territories.models import CommuneKind
from essor.territories.qpv_population import population_outside_qpvs


def _column(key: str, label: str, figures: dict | None, population, release) -> dict:
    """One column's values; `figures` None: not covered by the release (every cell unknown, never 0)."""
    if figures is None:
        return {"key": key, "label": label, "covered": False, "values": {}}
    establishments = figures["establishments"]
    values = {
        "active": establishments["active"],
        "ess": establishments["ess"],
        "ess_share": establishments["ess_share"],
        "employer_share": share(establishments["ess"], establishments["ess_employer"]),
        "ess_employees": figures["employees_estimate"]["ess"],
        "population": population,
        "ess_per_1000": per_1000(establishments["ess"], population, release),
        **{family: establishments["ess_by_family"][family] for family in FAMILIES},
    }
    return {"key": key, "label": label, "covered": True, "values": values}


def metrics() -> list[tuple[str, str, str]]:
    return [
        ("active", _("Active establishments (all sectors)"), "int"),
        ("ess", _("ESS establishments"), "int"),
        ("ess_share", _("ESS share of active establishments"), "pct"),
        ("employer_share", _("Share of ESS establishments that employ staff"), "pct"),
        ("ess_employees", _("ESS employees (estimate)"), "range"),
        ("population", _("Population"), "int"),
        ("ess_per_1000", _("ESS establishments per 1,000 inhabitants"), "dec"),
        *[(family, str(Family(family).label), "int") for family in FAMILIES],
    ]


def qpv_comparison(release, scope: Scope) -> dict | None:
    """Columns: the QPV, the rest of its commune(s), its EPCI (or France when it has none), France; rows: the
    figures. None when the scope is not a QPV or the release does not cover it."""
    if scope.kind != "qpv" or scope.obj is None or not is_covered(release, scope):
        return None
    qpv = scope.obj
    communes = list(qpv.communes.filter(kind=CommuneKind.COMMUNE).only("code", "name").order_by("name"))
    codes = [commune.code for commune in communes]
    reference = scope.reference if scope.reference is not None and scope.reference.kind == "epci" else None
    nation = france()
    others = [other for other in (reference, nation) if other is not None]
    loaded = load_figures(release, [(scope, "all")] + [(other, "all") for other in others])
    rest_population = population_outside_qpvs(codes, qpv.generation)
    rest = figures_where(release, outside_qpvs_q(codes, qpv.generation), rest_population) if codes else None
    names = ", ".join(commune.name for commune in communes)
    rest_label = (
        _("Rest of %(communes)s (outside its QPVs)") % {"communes": names}
        if len(communes) == 1
        else _("Rest of its %(count)s communes (outside their QPVs)") % {"count": len(communes)}
    )
    columns = [_column("qpv", scope.name, loaded[0], scope.population, release)]
    columns.append(_column("rest", rest_label, rest, rest_population, release))
    for other, figures in zip(others, loaded[1:], strict=True):
        covered = figures if is_covered(release, other) else None
        columns.append(_column(other.kind, other.name, covered, other.population, release))
    rows = [
        {
            "key": key,
            "label": label,
            "format": fmt,
            "values": [column["values"].get(key) if column["covered"] else None for column in columns],
        }
        for key, label, fmt in metrics()
    ]
    return {
        "release": release,
        "scope": scope,
        "columns": columns,
        "rows": rows,
        "communes": communes,
        "commune_names": [commune.name for commune in communes],
        "several_communes": len(communes) > 1,
        "generation": qpv.generation,
        "rest_population_known": rest_population is not None,
        "qpv_population_known": scope.population is not None,
        "population_load": qpv.population_load if qpv.population_load_id else None,
        "has_epci": reference is not None,
    }


def qpv_section(request, ref) -> dict | None:
    """The context of the QPV page's comparison section (essor.core.sections, page "qpv")."""
    scope = ref if isinstance(ref, Scope) else scope_from_ref(ref)
    try:
        release = requested_release(request)
    except UnknownRelease:
        release = Release.objects.active()
    if release is None:
        return None
    compared = qpv_comparison(release, scope)
    return {"qpv_comparison": compared} if compared else None
