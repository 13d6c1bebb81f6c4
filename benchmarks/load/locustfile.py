"""Load on the observatory: an EPCI's profile page, its indicators API and /healthz in the same run.

Run by benchmarks/load/run.py (gunicorn with the production settings on 127.0.0.1); the EPCI is
ESSOR_BENCH_EPCI (Toulouse Métropole by default).
"""

import os

from locust import HttpUser, constant, task

EPCI = os.environ.get("ESSOR_BENCH_EPCI", "243100518")


class Visitor(HttpUser):
    wait_time = constant(0)  # closed loop: each of the N users sends its next request as soon as it can

    @task
    def profile(self):
        self.client.get(f"/fr/territoires/epci/{EPCI}/", name="profile page (EPCI)")

    @task
    def indicators(self):
        self.client.get(f"/api/v1/territories/epci/{EPCI}/indicators?zone=all", name="indicators API (EPCI)")

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")
