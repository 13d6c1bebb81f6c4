"""A hand-made set of SIRENE rows covering every rule, with the expected outcome of each establishment.

Toulouse (31555) holds 14 kept establishments around QPV `qa` (the first QPV 2024 of Toulouse), Paris one in an
arrondissement, Saint-Denis (93066, EPT Plaine Commune) one, Guadeloupe two around QPV `qg` in EPSG:5490.
Five more rows are rejected (bad SIRET, SIREN mismatch, duplicate, unknown commune, no commune) and one
establishment is closed.
"""

from dataclasses import dataclass

from essor.sirene.tests.builders import etab, geo, qpv_points, to_wgs84, unit
from essor.territories.models import Qpv

TOULOUSE = "31555"
SAINT_DENIS = "93066"


@dataclass
class Scenario:
    units: list
    etabs: list
    geos: list
    qa: str
    qg: str
    guadeloupe_commune: str


def build() -> Scenario:
    qa = Qpv.objects.filter(generation=2024, communes__code=TOULOUSE).order_by("code").first().code
    qg_obj = Qpv.objects.filter(generation=2024, departement_id="971").order_by("code").first()
    qg, gcommune = qg_obj.code, qg_obj.communes.order_by("code").first().code
    pa, pg = qpv_points(qa), qpv_points(qg, epsg=5490)
    units = [
        unit("100000001", cj="9220", ess="O"),
        unit("100000002", cj="9220"),
        unit("100000003", cj="5458"),
        unit("100000004", cj="8210", naf="65.12Z"),
        unit("100000005", cj="9300"),
        unit("100000006", cj="5710", ess="O", naf="62.01Z"),
        unit("100000007", cj="5710", naf="62.01Z"),
        unit("100000008", cj="9220", ess="N"),
        *[
            unit(f"1000000{9 + i:02d}", cj="9220", naf=naf)
            for i, naf in enumerate(["84.11Z", "94.11Z", "94.12Z", "94.20Z", "94.91Z", "94.92Z"])
        ],  # fmt: skip
        unit("100000015", cj="6317", naf="01.61Z"),
        unit("100000016", cj="9220", ess="O"),
        unit("100000017", cj="9220", ess="O"),
    ]
    lon, lat = to_wgs84(2154, *pa["inside"])
    etabs = [
        etab("100000001", 1, band="11"),  # E1
        etab("100000001", 2, band="53"),  # E2
        etab("100000002", 1),  # E3
        etab("100000003", 1),  # E4
        etab("100000004", 1, band="00"),  # E5
        etab("100000005", 1),  # E6
        etab("100000006", 1),  # E7
        etab("100000007", 1),  # E8
        etab("100000008", 1, commune="75115"),  # E9
        *[etab(f"1000000{9 + i:02d}", 1) for i in range(6)],  # E10
        etab("100000015", 1, commune=gcommune, band="01"),  # E11
        etab("100000015", 2, commune=gcommune),  # E12
        etab("100000016", 1, etat="F"),  # closed
        etab("100000017", 1, commune=SAINT_DENIS),  # E16
        etab("100000007", 9, siret="1234"),  # bad SIRET
        etab("100000007", 8, siret="20000000700008"),  # SIREN mismatch
        etab("100000007", 1),  # duplicate of E8
        etab("100000007", 7, commune="99999"),  # unknown commune
        etab("100000007", 6, commune=""),  # abroad: no commune
    ]
    geos = [
        geo("10000000100001", *pa["inside"], qp24=qa),
        geo("10000000100002", *pa["near"], qp24="HZ"),
        geo("10000000200001", *pa["far"], qp24="CSZ"),
        geo("10000000300001", *pa["inside"]),
        geo("10000000400001", *pa["near"]),
        geo("10000000600001", *pa["inside"], qp24="QN99999Z"),
        geo("10000000700001", epsg=None, lon=lon, lat=lat),
        geo("10000001500001", *pg["inside"], epsg=5490),
        geo("10000001500002", *pg["near"], epsg=5490),
    ]
    return Scenario(units, etabs, geos, qa, qg, gcommune)
