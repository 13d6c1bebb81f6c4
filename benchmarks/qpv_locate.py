"""QPV 2024 point lookup speed: points per second on one core, for containment, containment + nearest, and CSV.

    .venv/bin/python benchmarks/qpv_locate.py [--points 1000000] [--repeat 3] [--source auto|db|file]

Contours come from the database when the reference is loaded (`essor territories load`), else straight from the
vendored GeoJSON (same repair). Points: 70% "urban" (uniform in the boxes of QPVs widened by ~2 km, i.e. the
neighbourhoods around QPVs where establishments cluster) and 30% uniform over mainland France's bounding box
(sea and neighbouring countries included: the hardest case for the nearest search). Fixed random seed.
Figures: best of --repeat runs, wall time and CPU time of this process (the machine may be shared).
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

MAINLAND = (-5.2, 41.3, 9.6, 51.1)
URBAN_PAD_DEG = 0.02
URBAN_SHARE = 0.7


def load_index(source: str):
    from essor.territories import locate

    if source in ("auto", "db"):
        try:
            import django

            django.setup()
            return locate.get_index(), "database"
        except Exception as exc:  # no settings, no database, no tables, nothing loaded
            if source == "db":
                raise
            print(f"(database not usable: {type(exc).__name__}: {str(exc)[:80]}; reading the vendored file)")
    return locate.QpvIndex(locate.records_from_geojson(), version="vendored file"), "vendored GeoJSON"


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
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    row = {"label": label, "n": n, "wall": best_wall, "cpu": best_cpu, "result": result}
    print(
        f"| {label} | {n:,} | {best_wall:.2f} | {n / best_wall:,.0f} | {best_cpu:.2f} | {n / best_cpu:,.0f} |"
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
    args = parser.parse_args(argv)

    for line in machine():
        print(line)
    started = time.perf_counter()
    index, source = load_index(args.source)
    print(f"Index: {len(index):,} QPV 2024 from the {source}, built in {time.perf_counter() - started:.1f} s")
    n = args.points
    lon, lat = make_points(index, n)
    print()
    print("| configuration | points | wall s | points/s (wall) | CPU s | points/s (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    contained = measure("containment", lambda: index.contains(lon, lat), n, args.repeat)
    inside = contained["result"] >= 0

    def predicate_query():
        import shapely

        return index.tree.query(shapely.points(lon, lat), predicate="intersects")

    measure(
        "containment, variant `tree.query(points, predicate='intersects')`", predicate_query, n, args.repeat
    )
    found = measure("containment + nearest", lambda: index.locate(lon, lat), n, args.repeat)["result"]
    measure(
        "containment + nearest within 300 m (the `proximite` zone)",
        lambda: index.locate(lon, lat, max_distance_m=300),
        n,
        args.repeat,
    )
    outside_lon, outside_lat = lon[~inside], lat[~inside]
    measure(
        "nearest only, on the points outside",
        lambda: index.nearest_outside(outside_lon, outside_lat),
        int((~inside).sum()),
        args.repeat,
    )

    rows = args.csv_rows or n
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        source_csv, output_csv = Path(folder) / "points.csv", Path(folder) / "located.csv"
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
            1,
        )["result"]
        measure(
            f"end-to-end CSV ({size} in), nearest within 300 m (`--max-distance 300`)",
            lambda: locate_csv(index, source_csv, output_csv, max_distance_m=300),
            rows,
            1,
        )
    print()
    print(
        f"Inside a QPV: {inside.mean():.1%} of the points; median distance of the others to the nearest QPV: "
        f"{np.nanmedian(found.distance_m[~inside]):,.0f} m; CSV rows: {report.rows:,} ({report.inside:,} inside)."
    )


if __name__ == "__main__":
    main()
