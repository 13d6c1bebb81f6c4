"""Load on the observatory: territory profile pages, directory pages and the indicators API, with /healthz, in one run.

Run by benchmarks/load/run.py (gunicorn with the production settings on 127.0.0.1). Each request picks one
territory of its kind at random among TERRITORIES (or ESSOR_BENCH_TERRITORIES, "kind:code,kind:code,..."), so the
pages are measured from France down to a QPV; locust names each row by page and kind ("profile region", ...).
"""

import os
import random

from locust import HttpUser, constant, task

DEFAULT = (
    "france:FR,"
    "region:11,region:76,region:84,"  # Île-de-France, Occitanie, Auvergne-Rhône-Alpes
    "epci:243100518,epci:200054781,epci:200046977,"  # Toulouse Métropole, Métropole du Grand Paris, Lyon
    "commune:31555,commune:13055,commune:59350,"  # Toulouse, Marseille, Lille
    "qpv:QN03107M,qpv:QN01304I,qpv:QN03109M"  # Grand Mirail, La Viste, Empalot
)
TERRITORIES = [item.split(":", 1) for item in os.environ.get("ESSOR_BENCH_TERRITORIES", DEFAULT).split(",")]
KINDS = sorted({kind for kind, _ in TERRITORIES})


def pick(kind: str | None = None) -> tuple[str, str]:
    return random.choice([t for t in TERRITORIES if kind is None or t[0] == kind])  # noqa: S311 (not crypto)


class Visitor(HttpUser):
    wait_time = constant(0)  # closed loop: each of the N users sends its next request as soon as it can

    # Weights: /healthz is sampled as often as each page type, so every row has enough requests for a p99.
    @task(2)
    def healthz(self):
        self.client.get("/healthz", name="/healthz")

    @task(len(KINDS))
    def profile(self):
        kind, code = pick(random.choice(KINDS))  # noqa: S311
        self.client.get(f"/fr/territoires/{kind}/{code}/", name=f"profile {kind}")

    @task(len(KINDS))
    def directory(self):
        kind, code = pick(random.choice(KINDS))  # noqa: S311
        self.client.get(f"/fr/observatoire/territoires/{kind}/{code}/annuaire/", name=f"directory {kind}")

    @task(2)
    def indicators(self):
        kind, code = pick()
        self.client.get(f"/api/v1/territories/{kind}/{code}/indicators?zone=all", name="indicators API")
