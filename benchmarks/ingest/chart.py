"""The growth chart of docs/benchmarks.md, drawn from the results JSON of benchmarks/ingest/run.py (no plotting
library: a plain SVG, log-log axes).

    python benchmarks/ingest/chart.py WORKDIR-0.01/results-0.01-parquet.json WORKDIR-0.1/… WORKDIR-1/… \
        --out docs/benchmarks/ingest-growth.svg

Left: wall and CPU seconds of the ingestion and of the floor (DuckDB scanning the inputs once) by scale.
Right: peak RSS of the ingestion's process tree by scale.
"""

import argparse
import json
import math
from html import escape
from pathlib import Path

WIDTH, HEIGHT, PANEL = 860, 360, 400
MARGIN = {"left": 60, "right": 20, "top": 40, "bottom": 50}
SERIES = [  # (label, colour, dash, value of a result)
    ("ingest wall", "#1f4e79", "", lambda r: r["ingest"]["seconds"]),
    ("ingest CPU", "#1f4e79", "6 4", lambda r: r["ingest"]["cpu_seconds"]),
    ("floor wall", "#b35900", "", lambda r: r["floor"]["total"]),
    ("floor CPU", "#b35900", "6 4", lambda r: r["floor"]["cpu_seconds"]),
]


def log_axis(values: list[float]) -> tuple[float, float]:
    low = math.floor(math.log10(min(values)))
    high = math.ceil(math.log10(max(values)))
    return low, max(high, low + 1)


def panel(x0: int, title: str, results: list[dict], series, unit: str, log_y: bool) -> list[str]:
    inner_w = PANEL - MARGIN["left"] - MARGIN["right"]
    inner_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    scales = [r["scale"] for r in results]
    sx_low, sx_high = log_axis(scales)
    values = [value(r) for _, _, _, value in series for r in results]
    if log_y:
        y_low, y_high = log_axis(values)
    else:
        y_low, y_high = 0.0, math.ceil(max(values))

    def px(scale: float) -> float:
        return x0 + MARGIN["left"] + (math.log10(scale) - sx_low) / (sx_high - sx_low) * inner_w

    def py(value: float) -> float:
        position = (math.log10(value) - y_low) / (y_high - y_low) if log_y else value / y_high
        return MARGIN["top"] + inner_h - position * inner_h

    out = [
        f'<text x="{x0 + PANEL / 2}" y="22" text-anchor="middle" font-weight="bold">{escape(title)}</text>'
    ]
    ticks = [10**e for e in range(int(y_low), int(y_high) + 1)] if log_y else range(0, int(y_high) + 1)
    for tick in ticks:
        y = py(tick)
        out.append(f'<line x1="{x0 + MARGIN["left"]}" x2="{x0 + PANEL - MARGIN["right"]}" y1="{y:.1f}" '
                   f'y2="{y:.1f}" stroke="#ddd"/>')  # fmt: skip
        out.append(
            f'<text x="{x0 + MARGIN["left"] - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g} {unit}</text>'
        )
    for scale in scales:
        x = px(scale)
        label = "1" if scale == 1 else f"1/{round(1 / scale)}"
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - MARGIN["bottom"] + 18}" text-anchor="middle">{label}</text>'
        )
    out.append(
        f'<text x="{x0 + PANEL / 2}" y="{HEIGHT - 12}" text-anchor="middle">scale (1 = national stock)</text>'
    )
    for index, (label, colour, dash, value) in enumerate(series):
        points = " ".join(f"{px(r['scale']):.1f},{py(value(r)):.1f}" for r in results)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')  # fmt: skip
        for r in results:
            out.append(f'<circle cx="{px(r["scale"]):.1f}" cy="{py(value(r)):.1f}" r="3" fill="{colour}"/>')
        # The legend sits in the lower right corner, away from the lines (which rise to the right).
        ly = HEIGHT - MARGIN["bottom"] - 10 - (len(series) - 1 - index) * 16
        lx = x0 + PANEL - MARGIN["right"] - 110
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/><text x="{lx + 30}" y="{ly + 4}">{escape(label)}</text>')  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    results = sorted((json.loads(path.read_text()) for path in args.results), key=lambda r: r["scale"])
    memory = [("peak RSS", "#1f4e79", "", lambda r: r["ingest"]["peak_rss_gib"])]
    body = [
        *panel(0, "Ingestion and floor, seconds (log)", results, SERIES, "s", True),
        *panel(PANEL + 40, "Ingestion peak RSS, GiB", results, memory, "GiB", False),
    ]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">'
        '<title id="title">SIRENE ingestion: wall and CPU time against the DuckDB scan floor, and peak memory, '
        "by scale</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>{"".join(body)}</svg>\n'
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg)


if __name__ == "__main__":
    main()
