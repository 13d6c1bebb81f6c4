"""The territories of the load mix, France down to QPVs (shared by locustfile.py, run.py and queries.py).

ESSOR_BENCH_TERRITORIES="kind:code,kind:code,..." replaces the default (run.py --territories sets it).
Kept apart from locustfile.py: importing locust patches threading (gevent), which Django's connections refuse.
"""

import os

DEFAULT = (
    "france:FR,"
    "region:11,region:76,region:84,"  # Île-de-France, Occitanie, Auvergne-Rhône-Alpes
    "epci:243100518,epci:200054781,epci:200046977,"  # Toulouse Métropole, Métropole du Grand Paris, Lyon
    "commune:31555,commune:13055,commune:59350,"  # Toulouse, Marseille, Lille
    "qpv:QN03107M,qpv:QN01304I,qpv:QN03109M"  # Grand Mirail, La Viste, Empalot
)


def territories() -> list[tuple[str, str]]:
    items = os.environ.get("ESSOR_BENCH_TERRITORIES") or DEFAULT
    return [tuple(item.split(":", 1)) for item in items.split(",")]  # type: ignore[misc]
