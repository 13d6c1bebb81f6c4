"""Observatory load benchmark: gunicorn with the production settings, locust headless, idle and during an ingest.

    .venv/bin/python benchmarks/load/run.py --database sqlite --workdir /work/scratch-X/load \
        --files /path/to/files-1-parquet [--users 50] [--spawn-rate 10] [--seconds 120] [--workers N]
    .venv/bin/python benchmarks/load/run.py --database postgresql --workdir /work/scratch-X/load --files DIR

1. The database: SQLite (DATABASE_URL if it is a sqlite URL, else WORKDIR/load.sqlite3, kept between runs) or a
   throwaway PostgreSQL 15 cluster started in WORKDIR/pg and removed at the end (benchmarks/pgcluster.py). It is
   migrated and loaded with the territories; when it has no active release, `essor sirene ingest` of the
   synthetic files in --files (as `essor sirene synth` writes them) builds one, timed (wall and CPU).
2. `collectstatic` and `check --deploy`, then gunicorn on a free port of 127.0.0.1 (DEBUG off, a random
   SECRET_KEY, ALLOWED_HOSTS, WhiteNoise, the API's per-address quota off: all the users share one address).
3. Phase "idle": locust headless, --users closed-loop users spawned at --spawn-rate, for --seconds, over
   /healthz, the profile page and the directory page of France, régions, EPCI, communes and QPVs, and the
   indicators API (locustfile.py). Phase "ingest": the same load while `essor sirene ingest --force` of
   --ingest-files (default --files) runs on the same database, from its start to its end.
4. Before the load, queries.py times each directory query and indicators document uncached, per territory.
   For each phase, p50/p95/p99, failures and requests/s per row from locust's CSV, the ratio of each p95 to
   /healthz's p95 in the same phase (goal: <= 5 with 0 failures); saved to WORKDIR/load-<database>.json.
"""

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from pgcluster import database_size, free_port, throwaway_cluster  # noqa: E402

PYTHON = sys.executable
ESSOR = [PYTHON, "-m", "essor.cli"]  # this checkout's code (PYTHONPATH), whatever venv runs it
GOAL = 5.0
FILES = {
    "--unites-legales": "StockUniteLegale_utf8.parquet",
    "--etablissements": "StockEtablissement_utf8.parquet",
    "--geolocalisation": "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.parquet",
}


def production_env(args, database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "ESSOR_ENV_FILE")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "essor.settings",
            "ESSOR_ENV_FILE": "",  # never a developer's .env
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1 (check --deploy's W008)
            "STATIC_ROOT": str(args.workdir / "static"),
            "EMAIL_SMTP_HOST": "127.0.0.1",  # production mailer settings; these pages send no mail
            "DATABASE_URL": database_url,
            "ESSOR_DATA_DIR": str(args.workdir / "data"),
            "ESSOR_OPENDATA_ON_RELEASE": "0",  # the benchmark measures pages, not the open-data publication
            # Every locust user comes from 127.0.0.1: a per-address quota would answer 429 to most of them.
            "ESSOR_API_RATE_LIMIT": "0",
            "ESSOR_SIRENE_MEMORY_LIMIT": args.memory_limit,
        }
    )
    return env


def query_one(database_url: str, sql: str):
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as con:
            return con.execute(sql).fetchone()
    import psycopg

    with psycopg.connect(database_url) as con:
        return con.execute(sql).fetchone()


def database_bytes(database_url: str) -> int:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))  # with -wal and -shm
    return database_size(database_url)


def active_release(database_url: str):
    try:
        return query_one(database_url, "SELECT id, timings FROM sirene_release WHERE is_active")
    except Exception:  # noqa: BLE001 (no table yet: not migrated)
        return None


def ingest_command(files: Path) -> list[str]:
    command = [*ESSOR, "sirene", "ingest", "--vintage", "2026-11-01", "--synthetic", "--force"]
    for option, name in FILES.items():
        if not (files / name).exists():
            raise SystemExit(f"{files / name} missing (expected the files `essor sirene synth` writes)")
        command += [option, str(files / name)]
    return command


def timed(command: list[str], env: dict, log: Path) -> dict:
    """Wall and CPU seconds (user + system of the child tree) of a command; its output goes to LOG."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    with open(log, "w") as out:
        code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(cpu, 1),
        "exit_code": code,
    }


def prepare(args, env: dict, database_url: str) -> dict:
    """Migrate, load the territories and ingest --files when the database serves no release yet."""
    info: dict = {}
    subprocess.run([*ESSOR, "migrate", "--no-input", "-v0"], env=env, check=True)
    if active_release(database_url) is None:
        subprocess.run([*ESSOR, "territories", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
        if not args.files:
            raise SystemExit("The database serves no release: give --files (synthetic SIRENE files).")
        print(f"Ingesting {args.files} ...", flush=True)
        load = os.getloadavg()
        info["ingest"] = timed(ingest_command(args.files), env, args.workdir / f"ingest-{args.database}.log")
        info["ingest"]["load_average"] = [load, os.getloadavg()]
        if info["ingest"]["exit_code"]:
            raise SystemExit(f"ingest failed: see {args.workdir / f'ingest-{args.database}.log'}")
    release = active_release(database_url)
    timings = release[1] if isinstance(release[1], dict) else json.loads(release[1])
    info["release"] = {"id": release[0], "timings": timings, "database_bytes": database_bytes(database_url)}
    return info


def wait_until_up(url: str, server, timeout: float = 180) -> None:
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError as exc:
            last = exc
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {url}: {last!r}")


def warm_up(host: str, workers: int) -> None:
    """Every URL of the mix once per worker (translations, templates, caches), outside the measure; any error stops."""
    sys.path.insert(0, str(Path(__file__).parent))
    from mix import territories

    paths = ["/healthz"]
    for kind, code in territories():
        paths += [f"/fr/territoires/{kind}/{code}/", f"/fr/observatoire/territoires/{kind}/{code}/annuaire/",
                  f"/api/v1/territories/{kind}/{code}/indicators?zone=all"]  # fmt: skip
    for _ in range(workers):
        for path in paths:
            try:
                urllib.request.urlopen(host + path, timeout=120).read()  # noqa: S310
            except urllib.error.HTTPError as exc:
                body = exc.read()[:2000].decode(errors="replace")
                raise SystemExit(f"{path}: HTTP {exc.code}\n{body}") from exc


def locust(args, env: dict, host: str, prefix: Path, seconds: int) -> subprocess.Popen:
    command = [PYTHON, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{seconds}s", "--host", host,
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"]  # fmt: skip
    # Locust's own summary (stderr) goes to PREFIX.log: the report below reads its CSV.
    with open(f"{prefix}.log", "w") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def read_stats(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    health = float(rows["/healthz"]["95%"]) or 1.0
    table = {}
    for name, row in rows.items():
        table[name] = {
            "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1), "p50": float(row["50%"]), "p95": float(row["95%"]),
            "p99": float(row["99%"]), "ratio_p95_to_healthz": round(float(row["95%"]) / health, 2),
        }  # fmt: skip
    return table


def phase(args, env: dict, host: str, name: str, ingest_files: Path | None = None) -> dict:
    prefix = args.workdir / f"locust-{args.database}-{name}"
    load = os.getloadavg()
    started = time.perf_counter()
    result: dict = {}
    if ingest_files is None:
        locust(args, env, host, prefix, args.seconds).wait()
    else:
        # The load runs from the ingest's start to its end (capped at --ingest-seconds).
        log = open(args.workdir / f"ingest-{args.database}-under-load.log", "w")  # noqa: SIM115
        ingest = subprocess.Popen(ingest_command(ingest_files), env=env, stdout=log, stderr=subprocess.STDOUT)
        runner = locust(args, env, host, prefix, args.ingest_seconds)
        while ingest.poll() is None and runner.poll() is None:
            time.sleep(1)
        if runner.poll() is None:
            runner.send_signal(signal.SIGTERM)  # the ingest is over: stop the load, locust writes its stats
        runner.wait()
        if ingest.poll() is None:
            # --ingest-seconds reached first: Ctrl-C the ingest (its release, still building, is deleted at once).
            ingest.send_signal(signal.SIGINT)
            result["ingest_interrupted"] = True
        result["ingest_exit_code"] = ingest.wait()
        result["ingest_seconds_under_load"] = round(time.perf_counter() - started, 1)
        log.close()
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["load_average"] = [load, os.getloadavg()]
    result["rows"] = read_stats(prefix)
    return result


def report(name: str, result: dict) -> bool:
    rows = result["rows"]
    print(f"\nphase {name}: {result['seconds']} s, load average {result['load_average']}")
    if "ingest_exit_code" in result:
        stopped = " (interrupted at --ingest-seconds)" if result.get("ingest_interrupted") else ""
        print(
            f"  concurrent ingest: exit {result['ingest_exit_code']}, {result['ingest_seconds_under_load']} s{stopped}"
        )
    print("| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms | p95 / p95(healthz) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, row in rows.items():
        print(f"| {key} | {row['requests']:,} | {row['failures']} | {row['rps']} | {row['p50']:g} | {row['p95']:g} "
              f"| {row['p99']:g} | {row['ratio_p95_to_healthz']:.2f} |")  # fmt: skip
    pages = {k: v for k, v in rows.items() if k not in ("/healthz", "Aggregated")}
    worst = max(pages.items(), key=lambda item: item[1]["ratio_p95_to_healthz"])
    failures = rows["Aggregated"]["failures"]
    met = worst[1]["ratio_p95_to_healthz"] <= GOAL and failures == 0
    print(f"worst: {worst[0]} at {worst[1]['ratio_p95_to_healthz']:.2f} x /healthz; {failures} failures: "
          f"goal (<= {GOAL:g}, 0 failures) {'met' if met else 'NOT met'}")  # fmt: skip
    return met


def query_costs(env: dict) -> dict:
    """queries.py: what each directory query and indicators document costs, uncached, before the load."""
    out = subprocess.run([PYTHON, str(Path(__file__).with_name("queries.py"))], env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    costs = json.loads(out.strip().splitlines()[-1])
    print(f"\nuncached service times ({costs['vendor']}, best of 3, ms)")
    print(
        "| territory | listed | COUNT | sectors | first page | indicators |\n|---|---:|---:|---:|---:|---:|"
    )
    for name, row in costs["territories"].items():
        print(f"| {name} | {row['listed']:,} | {row['count_ms']} | {row['sectors_ms']} | {row['first_page_ms']} "
              f"| {row['indicators_ms']} |")  # fmt: skip
    return costs


def serve(args, env: dict, database_url: str) -> dict:
    info = {"database": args.database, "users": args.users, "spawn_rate": args.spawn_rate, "seconds": args.seconds,
            "workers": args.workers, "cores": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}  # fmt: skip
    info.update(prepare(args, env, database_url))
    info["queries"] = query_costs(env)
    subprocess.run([*ESSOR, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    # Deploy checks: errors stop the run (the only expected warning is W008: plain HTTP on 127.0.0.1).
    subprocess.run([*ESSOR, "check", "--deploy"], env=env, check=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "essor.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--log-level", "warning"], env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_until_up(host + "/healthz", server)
        warm_up(host, args.workers)
        info["phases"] = {}
        if "idle" in args.phases:
            info["phases"]["idle"] = phase(args, env, host, "idle")
            report("idle", info["phases"]["idle"])
        if "ingest" in args.phases:
            files = args.ingest_files or args.files
            if not files:
                raise SystemExit("Phase ingest: give --ingest-files or --files.")
            info["phases"]["ingest"] = phase(args, env, host, "ingest", files)
            report("during an ingest", info["phases"]["ingest"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return info


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "essor-load")
    parser.add_argument("--files", type=Path, help="synthetic SIRENE files for the first ingest")
    parser.add_argument("--ingest-files", type=Path, help="files of the concurrent ingest (default: --files)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--seconds", type=int, default=120, help="duration of the idle phase")
    parser.add_argument(
        "--ingest-seconds", type=int, default=1800,
        help="cap of the phase during an ingest (the ingest is then interrupted, its building release deleted)",
    )  # fmt: skip
    # gunicorn's advice for sync workers, 2 x cores + 1 (docs/operations.md, "Serving").
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--territories", help="kind:code,kind:code,... (default: locustfile.py's France-to-QPV mix)"
    )
    parser.add_argument("--phases", default="idle,ingest", help="idle, ingest or both (comma-separated)")
    parser.add_argument("--memory-limit", default="4GB", help="ESSOR_SIRENE_MEMORY_LIMIT of the ingests")
    args = parser.parse_args()
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.phases = set(args.phases.split(","))
    if args.territories:
        os.environ["ESSOR_BENCH_TERRITORIES"] = args.territories  # read by locustfile.py (here and in locust)
    if args.database == "postgresql":
        with throwaway_cluster(args.workdir / "pg") as database_url:
            info = serve(args, production_env(args, database_url), database_url)
    else:
        url = os.environ.get("DATABASE_URL", "")
        database_url = url if url.startswith("sqlite:///") else f"sqlite:///{args.workdir / 'load.sqlite3'}"
        info = serve(args, production_env(args, database_url), database_url)
    out = args.workdir / f"load-{args.database}.json"
    out.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    if "ingest" in info:
        print(f"\nfirst ingest ({args.database}): {info['ingest']}")
    print(f"saved {out}")


if __name__ == "__main__":
    main()
