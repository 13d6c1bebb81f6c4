"""QPV 2024 point lookup speed: points per second on one core, for containment, containment + nearest, and CSV.

    taskset -c 0 .venv/bin/python benchmarks/qpv_locate.py [--points 1000000] [--repeat 3] [--source auto|db|file]
        [--field-cache DIR] [--exhaustive-points 200000]

Contours come from the database when the reference is loaded (`essor territories load`), else straight from the
vendored GeoJSON (same repair). Points: 70% "urban" (uniform in the boxes of QPVs widened by ~2 km, i.e. the
neighbourhoods around QPVs where establishments cluster) and 30% uniform over mainland France's bounding box
(sea and neighbouring countries included: the hardest case for the nearest search). Fixed random seed.
Figures: best of --repeat runs, wall time and CPU time of this process (the machine may be shared), with the
load average around each run. The lookup goes through the distance fields (docs/adr/012); the exhaustive search
it replaces is measured on --exhaustive-points points of the same set, and both answers compared. The fields are
built from scratch into --field-cache (a temporary folder by default), then read back from it.
Record the printed table in docs/benchmarks.md.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
os.environ.setdefault("DEBUG", "1")  # read the development database, if any
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # one core

MAINLAND = (-5.2, 41.3, 9.6, 51.1)
URBAN_PAD_DEG = 0.02
URBAN_SHARE = 0.7


def load_records(source: str):
    from essor.territories import locate

    if source in ("auto", "db"):
        try:
            import django

            django.setup()
            records = locate.records_from_database()
            if records:
                return records, "database"
        except Exception as exc:  # no settings, no database, no tables, nothing loaded
            if source == "db":
                raise
            print(f"(database not usable: {type(exc).__name__}: {str(exc)[:80]}; reading the vendored file)")
    return locate.records_from_geojson(), "vendored GeoJSON"


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_points(index, n: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    import shapely

    from essor.territories.locate import territory_epsg

    rng = np.random.default_rng(seed)
    mainland = np.flatnonzero([territory_epsg(record.code) == 2154 for record in index.records])
    bounds = shapely.bounds(index.geoms[mainland])
    urban = int(n * URBAN_SHARE)
    chosen = rng.integers(0, len(bounds), urban)
    lon = rng.uniform(bounds[chosen, 0] - URBAN_PAD_DEG, bounds[chosen, 2] + URBAN_PAD_DEG)
    lat = rng.uniform(bounds[chosen, 1] - URBAN_PAD_DEG, bounds[chosen, 3] + URBAN_PAD_DEG)
    lon = np.r_[lon, rng.uniform(MAINLAND[0], MAINLAND[2], n - urban)]
    lat = np.r_[lat, rng.uniform(MAINLAND[1], MAINLAND[3], n - urban)]
    order = rng.permutation(n)
    return lon[order], lat[order]


def measure(label: str, function, n: int, repeat: int) -> dict:
    best_wall = best_cpu = float("inf")
    loads = [os.getloadavg()[0]]
    for _ in range(repeat):
        result, wall, cpu = timed(function)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        loads.append(os.getloadavg()[0])
    row = {"label": label, "n": n, "wall": best_wall, "cpu": best_cpu, "result": result}
    load = f"{min(loads):.1f}–{max(loads):.1f}"
    print(
        f"| {label} | {n:,} | {best_wall:.2f} | {n / best_wall:,.0f} | {best_cpu:.2f} | {n / best_cpu:,.0f} | "
        f"{load} |"
    )
    return row


def machine() -> list[str]:
    import pyproj
    import shapely

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"CPU: {cpu}, {os.cpu_count()} logical cores; load average at start: "
        + " ".join(f"{value:.2f}" for value in os.getloadavg()),
        f"Python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--source", choices=["auto", "db", "file"], default="auto")
    parser.add_argument("--csv-rows", type=int, default=None, help="rows of the CSV run (default: --points)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write the CSV files (temporary)")
    parser.add_argument("--field-cache", type=Path, default=None, help="folder of the fields (temporary)")
    parser.add_argument("--exhaustive-points", type=int, default=200_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        run(args, Path(folder))


def run(args, folder: Path):
    from essor.territories import locate

    for line in machine():
        print(line)
    cache = args.field_cache or folder / "fields"
    for old in cache.glob("qpv-field-*.npz") if cache.exists() else []:
        old.unlink()  # from scratch
    records, source = load_records(args.source)
    index, wall, cpu = timed(lambda: locate.QpvIndex(records, version=source, field_cache=cache))
    print(f"Index: {len(index):,} QPV 2024 from the {source}, built in {wall:.1f} s wall, {cpu:.1f} s CPU")
    _, wall, cpu = timed(index.field_set.fields)
    print(
        f"Distance fields built from scratch: {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"{index.field_set.nbytes() / 2**20:.0f} MiB of arrays; peak RSS so far {rss_mib():,.0f} MiB"
    )
    index, wall, cpu = timed(lambda: locate.QpvIndex(records, version=source, field_cache=cache))
    _, load_wall, load_cpu = timed(index.field_set.fields)
    print(
        f"Index again, fields read from the cache ({index.field_set.source}): index {wall:.1f} s, "
        f"fields {load_wall:.2f} s wall, {load_cpu:.2f} s CPU"
    )
    n = args.points
    lon, lat = make_points(index, n)
    print()
    print("| configuration | points | wall s | points/s (wall) | CPU s | points/s (CPU) | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    contained = measure("containment", lambda: index.contains(lon, lat), n, args.repeat)
    inside = contained["result"] >= 0
    found = measure(
        "containment + nearest (distance fields)",
        lambda: index.locate(lon, lat, method="field"),
        n,
        args.repeat,
    )["result"]
    measure(
        "containment + nearest within 300 m (the `proximite` zone)",
        lambda: index.locate(lon, lat, max_distance_m=300, method="field"),
        n,
        args.repeat,
    )
    m = min(n, args.exhaustive_points)
    before = measure(
        "containment + nearest, exhaustive search (before)",
        lambda: index.locate(lon[:m], lat[:m], method="exhaustive"),
        m,
        1,
    )["result"]
    same = (
        np.array_equal(before.qpv, found.qpv[:m])
        and np.array_equal(before.nearest, found.nearest[:m])
        and np.allclose(before.distance_m, found.distance_m[:m], rtol=1e-6, atol=0, equal_nan=True)
    )

    rows = args.csv_rows or n
    source_csv, output_csv = folder / "points.csv", folder / "located.csv"
    with source_csv.open("w", encoding="utf-8") as handle:
        handle.write("id,lon,lat\n")
        for start in range(0, rows, 100_000):
            stop = min(rows, start + 100_000)
            block = np.column_stack([np.arange(start, stop), lon[start:stop], lat[start:stop]])
            np.savetxt(handle, block, fmt=["%d", "%.6f", "%.6f"], delimiter=",")
    from essor.territories.locate_csv import locate_csv

    size = f"{source_csv.stat().st_size / 1e6:.0f} MB"
    report = measure(
        f"end-to-end CSV ({size} in, read + containment + nearest + write)",
        lambda: locate_csv(index, source_csv, output_csv),
        rows,
        args.repeat,
    )["result"]
    measure(
        f"end-to-end CSV ({size} in), nearest within 300 m (`--max-distance 300`)",
        lambda: locate_csv(index, source_csv, output_csv, max_distance_m=300),
        rows,
        args.repeat,
    )
    print()
    print(
        f"Inside a QPV: {inside.mean():.1%} of the points; median distance of the others to the nearest QPV: "
        f"{np.nanmedian(found.distance_m[~inside]):,.0f} m; CSV rows: {report.rows:,} ({report.inside:,} inside)."
    )
    print(f"Fields and exhaustive search agree on the {m:,} points compared: {'yes' if same else 'NO'}.")
    print(
        f"Peak RSS: {rss_mib():,.0f} MiB; load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
