"""Observatory load benchmark: gunicorn with the production settings on 127.0.0.1, locust headless, p50/p95.

    DATABASE_URL=sqlite:////path/to/a/db/with/a/release.sqlite3 .venv/bin/python benchmarks/load/run.py \
        [--users 20] [--seconds 60] [--workers 2] [--epci 243100518]

The database must hold the territorial reference and an active SIRENE release (e.g. built with
`essor sirene synth --territory france:FR --scale 0.1` then `essor sirene ingest --synthetic`). Prints one line
per request type and the ratio p95(profile) / p95(healthz) (goal: <= 5).
"""

import argparse
import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def production_env(static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": static_root,
            "EMAIL_SMTP_HOST": "127.0.0.1",  # production mailer settings; these pages send no mail
            "DJANGO_SETTINGS_MODULE": "essor.settings",
        }
    )
    return env


def free_port() -> int:
    # Other jobs on this machine may already listen on a fixed port: ask the system for a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError as exc:
            last = exc
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {url}: {last!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--epci", default="243100518")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database holding an active SIRENE release.")
    work = Path(tempfile.mkdtemp(prefix="essor-load-"))
    env = production_env(str(work / "static"))
    env["ESSOR_BENCH_EPCI"] = args.epci
    subprocess.run([BIN / "essor", "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    # Deploy checks: errors stop the run (the only expected warning is W008: plain HTTP on 127.0.0.1).
    subprocess.run([BIN / "essor", "check", "--deploy"], env=env, check=True)
    port = args.port or free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "essor.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(host + "/healthz", server)
        # Warm each worker once (first request loads translations and templates), outside the measure.
        for _ in range(4 * args.workers):
            for path in (
                f"/fr/territoires/epci/{args.epci}/",
                f"/api/v1/territories/epci/{args.epci}/indicators",
            ):
                try:
                    urllib.request.urlopen(host + path, timeout=60).read()  # noqa: S310
                except urllib.error.HTTPError as exc:
                    raise SystemExit(
                        f"{path}: HTTP {exc.code}\n{exc.read()[:2000].decode(errors='replace')}"
                    ) from exc
        prefix = work / "locust"
        subprocess.run(
            [
                BIN / "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
        )
        report(prefix.with_name("locust_stats.csv"), args)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def report(stats_file: Path, args) -> None:
    rows = {row["Name"]: row for row in csv.DictReader(open(stats_file, encoding="utf-8"))}
    print(f"\n{args.users} users, {args.seconds} s, {args.workers} gunicorn workers, EPCI {args.epci}")
    print(f"{'request':28} {'count':>7} {'fail':>5} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name, row in rows.items():
        print(
            f"{name:28} {row['Request Count']:>7} {row['Failure Count']:>5} {float(row['Requests/s']):7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    profile, health = rows.get("profile page (EPCI)"), rows.get("/healthz")
    if profile and health and float(health["95%"]):
        ratio = float(profile["95%"]) / float(health["95%"])
        print(f"p95(profile) / p95(healthz) = {ratio:.2f} (goal <= 5)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
