"""Load on the observatory: territory profile pages, directory pages and the indicators API, with /healthz, in one run.

Run by benchmarks/load/run.py (gunicorn with the production settings on 127.0.0.1). Each request picks one
territory of its kind at random among those of mix.py, so the pages are measured from France down to a QPV;
locust names each row by page and kind ("profile region", ...).
"""

import random

from locust import HttpUser, constant, task
from mix import territories

TERRITORIES = territories()
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
