"""Response schemas of the observatory API: what each key of the indicators, directory and benchmark answers is.

They describe the documents built by indicators.py, directory.py and benchmark.py key for key (the API's tests
compare the answers with those documents, so a key missing here would be caught, not silently dropped).
"""

from ninja import Field, Schema


class TerritoryOut(Schema):
    kind: str = Field(description="france, region, departement, epci, commune or qpv.", examples=["epci"])
    code: str = Field(examples=["243100518"])
    name: str = Field(examples=["Toulouse Métropole"])


class LicenceOut(Schema):
    name: str
    url: str


class ReleaseOut(Schema):
    """Which SIRENE release answered: cite its vintage; `?release=VINTAGE` gives the same figures later."""

    id: int
    vintage: str = Field(description="Date of the SIRENE stock files (YYYY-MM-DD).", examples=["2026-11-01"])
    synthetic: bool = Field(description="True for the demonstration's synthetic establishments.")
    current: bool = Field(description="True when this release is the one serving.")
    methodology: str = Field(description="The page explaining how the figures are computed.")
    licence: LicenceOut


class FamiliesOut(Schema):
    association: int | None
    cooperative: int | None
    mutuelle: int | None
    fondation: int | None
    entreprise_commerciale_ess: int | None


class EstablishmentsOut(Schema):
    active: int = Field(description="Active establishments (all of the private economy the files hold).")
    ess: int = Field(description="ESS establishments among them.")
    ess_share: float | None = Field(description="ess / active (a fraction, 6 decimals); null without any.")
    ess_by_family: FamiliesOut
    employer: int
    ess_employer: int


class RangeOut(Schema):
    low: int | None
    high: int | None = Field(description="null when the top employee band has no upper bound.")


class EmployeesOut(Schema):
    all: RangeOut
    ess: RangeOut


class DensityOut(Schema):
    population: int | None
    ess_per_1000: float | None = Field(description="ESS establishments per 1,000 inhabitants.")
    active_per_1000: float | None


class SectorOut(Schema):
    code: str = Field(description="NAF section letter or division (2 digits).")
    label: str
    active: int
    ess: int
    ess_share: float | None
    reference_ess_share: float | None
    specialisation: float | None = Field(
        description="ess_share / reference_ess_share: above 1, the ESS weighs more in this sector here."
    )


class SectorsOut(Schema):
    sections: list[SectorOut]
    divisions: list[SectorOut] = Field(description="The 10 divisions with the most ESS establishments.")


class SizeBandOut(Schema):
    band: str = Field(description="SIRENE employee band code.")
    label: str
    ess: int


class CreationsOut(Schema):
    year: int
    ess: int = Field(description="ESS establishments created that year and still active.")


class SummaryOut(Schema):
    territory: TerritoryOut
    zone: str
    covered: bool = Field(
        description="False when the release holds no establishment of part of the territory."
    )
    establishments: EstablishmentsOut
    employees_estimate: EmployeesOut
    density: DensityOut


class IndicatorsOut(Schema):
    territory: TerritoryOut
    zone: str = Field(description="all, qpv, proximite or hors_qpv.")
    release: ReleaseOut
    establishments: EstablishmentsOut
    employees_estimate: EmployeesOut
    covered: bool
    density: DensityOut
    sectors: SectorsOut
    size_bands: list[SizeBandOut]
    creations: list[CreationsOut]
    bounds: list[list[float]] | None = Field(description="[[south, west], [north, east]] of the mapped rows.")
    reference: SummaryOut | None = Field(description="The reference territory (région, EPCI...), zone all.")
    national: SummaryOut | None = Field(description="France, zone all (null for France itself).")


class EstablishmentOut(Schema):
    """One ESS establishment. A sole proprietor or a partially diffusible establishment is listed without name,
    address nor position (empty strings and nulls)."""

    siret: str
    name: str
    family: str
    family_label: str
    legal_category: str
    naf: str
    naf_label: str
    naf_section: str
    band: str
    band_label: str
    employer: bool
    created_on: str | None = Field(description="YYYY-MM-DD.")
    is_siege: bool
    address: str
    postcode: str
    commune_code: str
    commune: str
    zone: str
    zone_label: str
    qpv24_code: str
    qpv15_code: str
    near_qpv24_code: str
    lon: float | None
    lat: float | None


class EstablishmentWithReleaseOut(EstablishmentOut):
    release: ReleaseOut


class DirectoryOut(Schema):
    territory: TerritoryOut
    release: ReleaseOut
    filters: dict[str, str] = Field(description="The filters applied (only those given).")
    count: int
    page: int
    page_size: int
    pages: int
    results: list[EstablishmentOut]


class BenchmarkRowOut(Schema):
    name: str
    code: str = Field(description="SIREN of the EPCI.")
    nature: str
    nature_label: str
    population: int | None
    covered: bool = Field(description="False outside the release's coverage: the figures are then null.")
    qpv_count: int
    active: int | None
    ess: int | None
    ess_share: float | None
    ess_per_1000: float | None
    ess_in_qpv: int | None
    ess_in_qpv_share: float | None
    association: int | None
    cooperative: int | None
    mutuelle: int | None
    fondation: int | None
    entreprise_commerciale_ess: int | None


class BenchmarkOut(Schema):
    release: ReleaseOut
    count: int
    results: list[BenchmarkRowOut]
