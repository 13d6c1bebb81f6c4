"""Benchmark of `essor sirene ingest` on national-scale synthetic files.

    .venv/bin/python benchmarks/ingest/run.py --scale 0.01 --workdir /work/scratch-Y/bench

1. generates synthetic files for france:FR at the scale (1 = 44 M establishments, 29 M legal units, 38 M
   geolocation rows), unless they are already in WORKDIR/files-<scale>-<format>/ (timed: the generator's speed);
2. measures the floor: DuckDB scanning each input file once, reading the columns the pipeline needs
   (`SELECT count(*), min(col), ...`), with the same reader options and thread count;
3. runs the ingestion in a subprocess against a scratch SQLite database, or with `--database postgresql` a
   throwaway PostgreSQL 15 cluster the script starts in WORKDIR/pg and removes at the end (benchmarks/pgcluster.py)
   (either migrated and loaded with the territories first, not timed), sampling the resident memory of the whole
   process tree every 0.2 s;
4. prints and saves (WORKDIR/results-<scale>-<format>[-postgresql].json) wall time, peak RSS, rows per second, the ratio to
   the floor and the per-step timings the release recorded.
"""

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import duckdb
import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()  # the generator reads the territories' models (QPV generations)

from essor.sirene import formats, zip_member  # noqa: E402
from essor.sirene import synth_formats as layouts  # noqa: E402
from essor.sirene.synth import SynthOptions, generate  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from pgcluster import database_size, throwaway_cluster  # noqa: E402

# The command as a module of this checkout (a worktree has no .venv of its own; PYTHONPATH makes its files win).
ESSOR = [sys.executable, "-m", "essor.cli"]
ROLES = {
    formats.UNITES_LEGALES: layouts.UNITES_LEGALES,
    formats.ETABLISSEMENTS: layouts.ETABLISSEMENTS,
    formats.GEOLOCALISATION: layouts.GEOLOCALISATION,
}


def machine() -> dict:
    memory = psutil.virtual_memory().total / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory, 1), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "load_average_at_start": os.getloadavg()}  # fmt: skip


def ensure_files(workdir: Path, scale: float, fmt: str, seed: int) -> tuple[dict[str, Path], dict]:
    out = workdir / f"files-{scale:g}-{fmt}"
    suffix = "parquet" if fmt == "parquet" else fmt
    files = {role: out / f"{name}.{suffix}" for role, name in ROLES.items()}
    stamp = out / "generation.json"
    if stamp.exists() and all(path.exists() for path in files.values()):
        return files, json.loads(stamp.read_text())
    started, cpu = time.perf_counter(), time.process_time()
    result = generate(
        SynthOptions(territory="france:FR", out=out, scale=scale, seed=seed, format=fmt),
        progress=lambda message: print(f"  [synth {time.perf_counter() - started:6.1f}s] {message}"),
    )
    info = {"seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
            "rows": result.rows,
            "bytes": {name: path.stat().st_size for name, path in result.files.items()}}  # fmt: skip
    stamp.write_text(json.dumps(info, indent=2))
    return files, info


def inflate(archive: Path, target: Path) -> Path:
    """The zip's CSV member written to `target` (the files INSEE publishes hold one) by the fastest inflater
    the ingest has (ISA-L, essor.sirene.zip_member), one stream on one core."""
    with zipfile.ZipFile(archive) as handle:
        member = handle.infolist()[0]
    zip_member.extract(archive, member, target)
    return target


def scan_floor(files: dict[str, Path], fmt: str, threads: int) -> dict:
    """DuckDB reading each file once with the columns the pipeline needs: the time no ingestion can beat."""
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    timings = {}
    cpu = time.process_time()
    for role, path in files.items():
        columns = formats.REQUIRED_COLUMNS[role]
        # Every value read as text, as the pipeline reads them; length() keeps DuckDB from answering from the
        # Parquet statistics without reading the data.
        aggregates = ", ".join(f'min(length(CAST("{column}" AS VARCHAR)))' for column in columns)
        started = time.perf_counter()
        extracted = None
        if fmt == "parquet":
            source = f"read_parquet('{path}')"
        else:
            delimiter = layouts.DELIMITERS[ROLES[role]]
            target = path
            if fmt == "zip":
                # DuckDB reads a zip only through an extension it would have to download: the floor is the
                # zip member inflated once (one stream, one core) plus DuckDB scanning the CSV once.
                extracted = target = inflate(path, path.with_name(f"floor-{role}.csv"))
                timings[f"{role}_inflate"] = round(time.perf_counter() - started, 2)
            source = f"read_csv('{target}', delim='{delimiter}', header=true, all_varchar=true, ignore_errors=true)"
        con.execute(f"SELECT count(*), {aggregates} FROM {source}").fetchall()
        if extracted is not None:
            extracted.unlink()
        timings[role] = round(time.perf_counter() - started, 2)
    timings["total"] = round(sum(v for k, v in timings.items() if not k.endswith("_inflate")), 2)
    timings["cpu_seconds"] = round(time.process_time() - cpu, 2)
    return timings


def prepare_database(workdir: Path, env: dict, stamp_name: str | None = "db-ready") -> None:
    stamp = workdir / stamp_name if stamp_name else None
    if stamp and stamp.exists():
        return
    subprocess.run([*ESSOR, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([*ESSOR, "territories", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
    if stamp:
        stamp.touch()


def run_measured(command: list[str], env: dict) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS (bytes) of the process tree, exit code, CPU seconds (user + system) of the tree.

    The CPU seconds do not depend on how busy the machine is: on a shared machine they say more than the wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    parent = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    reader.join()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode:
        print("".join(output[-40:]))
    return elapsed, peak, process.returncode, cpu


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # psycopg decodes jsonb itself


def latest_release(database_url: str) -> dict:
    query = "SELECT id, timings, summary, status FROM sirene_release ORDER BY id DESC LIMIT 1"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as con:
            row = con.execute(query).fetchone()
        size = Path(database_url.removeprefix("sqlite:///")).stat().st_size
    else:
        import psycopg

        with psycopg.connect(database_url) as con:
            row = con.execute(query).fetchone()
        size = database_size(database_url)
    return {"id": row[0], "timings": _json(row[1]), "summary": _json(row[2]), "status": row[3],
            "database_bytes": size}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.01, help="0.01, 0.1 or 1 (1 = the national stock)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/essor-bench"))
    parser.add_argument("--format", choices=("parquet", "csv", "zip"), default="parquet")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--memory-limit", default="4GB", help="ESSOR_SIRENE_MEMORY_LIMIT for the ingestion")
    parser.add_argument(
        "--no-ingest", action="store_true", help="Only generate the files and measure the floor"
    )
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), default="sqlite",
        help="sqlite: WORKDIR/bench.sqlite3 (kept between runs); postgresql: a throwaway PostgreSQL 15 cluster "
        "started in WORKDIR/pg, removed at the end",
    )  # fmt: skip
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database == "postgresql" and not args.no_ingest:
        with throwaway_cluster(workdir / "pg") as database_url:
            measure(args, workdir, database_url)
    else:
        measure(args, workdir, f"sqlite:///{workdir / 'bench.sqlite3'}")


def measure(args, workdir: Path, database_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DEBUG": "1", "DATABASE_URL": database_url, "ESSOR_DATA_DIR": str(workdir / "data"),
           "ESSOR_SIRENE_MEMORY_LIMIT": args.memory_limit, "ESSOR_SIRENE_THREADS": str(args.threads)}  # fmt: skip

    info = {"scale": args.scale, "format": args.format, "database": args.database, "machine": machine()}
    print(f"Scale {args.scale:g} ({args.format}, {args.database}) in {workdir}")
    files, info["generation"] = ensure_files(workdir, args.scale, args.format, args.seed)
    print(f"  files: {info['generation']['rows']} (generated in {info['generation']['seconds']} s)")
    # A throwaway cluster is new each run: always prepared (the stamp is the SQLite file's).
    prepare_database(workdir, env, "db-ready" if args.database == "sqlite" else None)
    info["floor"] = scan_floor(files, args.format, args.threads)
    print(f"  floor (DuckDB scan): {info['floor']}")
    if args.no_ingest:
        (workdir / f"floor-{args.scale:g}-{args.format}.json").write_text(json.dumps(info, indent=2))
        return
    command = [*ESSOR, "sirene", "ingest", "--unites-legales", str(files[formats.UNITES_LEGALES]),
               "--etablissements", str(files[formats.ETABLISSEMENTS]),
               "--geolocalisation", str(files[formats.GEOLOCALISATION]),
               "--vintage", "2026-11-01", "--synthetic", "--force"]  # fmt: skip
    elapsed, peak, code, cpu = run_measured(command, env)
    rows = sum(info["generation"]["rows"].values())
    info["ingest"] = {"seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
                      "peak_rss_gib": round(peak / 2**30, 2), "exit_code": code,
                      "rows_per_second": round(rows / elapsed), "ratio_to_floor": round(elapsed / info["floor"]["total"], 2),
                      "command": " ".join(command)}  # fmt: skip
    if code == 0:
        info["release"] = latest_release(database_url)
    suffix = "" if args.database == "sqlite" else f"-{args.database}"
    result_path = workdir / f"results-{args.scale:g}-{args.format}{suffix}.json"
    result_path.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    ingest = info["ingest"]
    print(f"  ingest: {ingest['seconds']} s ({ingest['cpu_seconds']} CPU s), peak RSS {ingest['peak_rss_gib']} GiB, {ingest['rows_per_second']:,} rows/s, "
          f"ratio to floor {ingest['ratio_to_floor']} (exit {code})")  # fmt: skip
    if "release" in info:
        print(f"  steps: {info['release']['timings']}")
    print(f"  saved {result_path}")


if __name__ == "__main__":
    main()
