"""The metropolis benchmark: the 22 métropoles by default, or any set of EPCI picked by nature, minimum
population or code, in one table sorted on the server."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from essor.observatory.coverage import epci_departements, per_1000
from essor.observatory.figures import FAMILIES
from essor.observatory.indicators import load_figures
from essor.observatory.scope import Scope
from essor.sirene.coverage import covered_departements
from essor.territories.models import Epci, EpciNature, Qpv

METROPOLE_NATURES = (EpciNature.METRO, EpciNature.MET69)
PICKABLE_NATURES = ("METRO", "CU", "CA", "CC")
MAX_POPULATION = (
    100_000_000  # past France's population; a larger figure is a mistake (and overflows SQL integers)
)


def columns() -> list[tuple[str, str]]:
    """(key, header) of the table, in order; also the sort keys and the export columns."""
    return [
        ("name", _("EPCI")),
        ("code", _("SIREN")),
        ("nature", _("Nature")),
        ("population", _("Population")),
        ("active", _("Active establishments")),
        ("ess", _("ESS establishments")),
        ("ess_share", _("ESS share")),
        ("ess_per_1000", _("ESS establishments per 1,000 inhabitants")),
        ("qpv_count", _("QPV (2024)")),
        ("ess_in_qpv", _("ESS establishments in QPV")),
        ("ess_in_qpv_share", _("Share of the ESS located in QPV")),
        ("association", _("Associations")),
        ("cooperative", _("Cooperatives")),
        ("mutuelle", _("Mutuals")),
        ("fondation", _("Foundations")),
        ("entreprise_commerciale_ess", _("ESS commercial companies")),
    ]


SORT_KEYS = {
    "name",
    "code",
    "nature",
    "population",
    "active",
    "ess",
    "ess_share",
    "ess_per_1000",
    "qpv_count",
    "ess_in_qpv",
    "ess_in_qpv_share",
    *FAMILIES,
}


@dataclass(frozen=True)
class Selection:
    natures: tuple[str, ...] = ()
    min_population: int | None = None
    codes: tuple[str, ...] = ()
    sort: str = "ess"
    descending: bool = True

    @property
    def is_default(self) -> bool:
        return not (self.natures or self.min_population or self.codes)

    @classmethod
    def parse(cls, params) -> "Selection":
        """From query parameters (nature repeated, min_population, epci repeated or comma-separated, sort, order).
        Invalid values raise ValueError naming the parameter."""
        natures = (
            tuple(n.upper() for n in params.getlist("nature") if n) if hasattr(params, "getlist") else ()
        )
        for nature in natures:
            if nature not in PICKABLE_NATURES:
                raise ValueError(f"nature={nature}")
        raw_min = (params.get("min_population") or "").strip()
        if raw_min and not (raw_min.isascii() and raw_min.isdigit() and int(raw_min) <= MAX_POPULATION):
            raise ValueError(f"min_population={raw_min}")
        raw_codes = params.getlist("epci") if hasattr(params, "getlist") else [params.get("epci") or ""]
        codes = tuple(code for raw in raw_codes for code in raw.replace(" ", "").split(",") if code)
        for code in codes:
            if not (len(code) == 9 and code.isdigit()):
                raise ValueError(f"epci={code}")
        sort = params.get("sort") or "ess"
        if sort not in SORT_KEYS:
            raise ValueError(f"sort={sort}")
        order = params.get("order") or ("asc" if sort in ("name", "code", "nature") else "desc")
        if order not in ("asc", "desc"):
            raise ValueError(f"order={order}")
        return cls(natures, int(raw_min) if raw_min else None, codes, sort, order == "desc")


def selected_epcis(selection: Selection):
    epcis = Epci.objects.all()
    if selection.is_default:
        return epcis.filter(nature__in=METROPOLE_NATURES)
    if selection.codes:
        epcis = epcis.filter(code__in=selection.codes)
    if selection.natures:
        natures = set(selection.natures) | ({EpciNature.MET69} if "METRO" in selection.natures else set())
        epcis = epcis.filter(nature__in=natures)
    if selection.min_population:
        epcis = epcis.filter(population__gte=selection.min_population)
    return epcis


def benchmark_rows(release, selection: Selection) -> list[dict]:
    """One row per EPCI, sorted (three queries whatever the number of EPCI)."""
    epcis = list(selected_epcis(selection))
    scopes = [Scope("epci", epci.code, epci.name, epci.population, epci) for epci in epcis]
    figures = load_figures(release, [(scope, zone) for scope in scopes for zone in ("all", "qpv")])
    codes = [epci.code for epci in epcis]
    qpv_counts = dict(
        Qpv.objects.filter(generation=2024, communes__epci__in=codes)
        .values_list("communes__epci")
        .annotate(n=Count("code", distinct=True))
        .order_by()
    )
    departements = epci_departements(codes)
    covered = covered_departements(release)
    rows = []
    for index, epci in enumerate(epcis):
        whole, in_qpv = figures[2 * index], figures[2 * index + 1]
        establishments = whole["establishments"]
        ess_in_qpv = in_qpv["establishments"]["ess"]
        row = {
            "name": epci.name,
            "code": epci.code,
            "nature": epci.nature,
            "nature_label": epci.get_nature_display(),
            "population": epci.population,
            "covered": covered is None or departements.get(epci.code, set()) <= covered,
            "qpv_count": qpv_counts.get(epci.code, 0),
        }
        figures_of_row = {
            "active": establishments["active"],
            "ess": establishments["ess"],
            "ess_share": establishments["ess_share"],
            "ess_per_1000": per_1000(establishments["ess"], epci.population, release),
            "ess_in_qpv": ess_in_qpv,
            "ess_in_qpv_share": (ess_in_qpv / establishments["ess"]) if establishments["ess"] else None,
            **establishments["ess_by_family"],
        }
        # Outside the release's coverage the figures are unknown (null, sorted last), never zeros.
        row.update(figures_of_row if row["covered"] else dict.fromkeys(figures_of_row))
        rows.append(row)
    return sort_rows(rows, selection.sort, selection.descending)


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    # Unknown values (None) always go last, whatever the direction.
    known = [row for row in rows if row.get(key) is not None]
    unknown = [row for row in rows if row.get(key) is None]

    def sort_key(row):
        value = row[key]
        return value.lower() if isinstance(value, str) else value

    known.sort(key=lambda row: row["name"].lower())
    known.sort(key=sort_key, reverse=descending)
    return known + unknown
