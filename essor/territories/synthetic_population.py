"""A SYNTHETIC QPV 2024 population file for the demo, in the layout of INSEE's file (qpv_population.py).

INSEE's file cannot be fetched offline and is not vendored (docs/methodology.md), so `make demo-data` writes this
one: a density between 5,000 and 15,000 inhabitants per km² of each contour, drawn from the QPV code (the same
file every time), at least 1,000 inhabitants (the decree's floor). It says SYNTHETIC in its name and in its
first line, and the load is marked synthetic, which every page showing a population says.
"""

import hashlib
from pathlib import Path

from essor.territories.models import Qpv, QpvGeneration

HEADER = ["codeQPV", "libQPV", "listeDepCom", "popMuniQPV"]
TITLE = "DONNEES SYNTHETIQUES DE DEMONSTRATION (essor) : populations inventées, pas celles de l'Insee"
FILE_NAME = "qpv2024_population_SYNTHETIQUE_demo.csv"
VINTAGE = "synthetic (demo)"
MIN_POPULATION = 1_000


def synthetic_population(code: str, area_m2: float | None) -> int:
    draw = int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    density = 5_000 + 10_000 * draw
    return max(MIN_POPULATION, round(density * (area_m2 or 0) / 1e6))


def write_synthetic_file(directory) -> Path:
    """Write the file for every QPV 2024 of the reference; returns its path."""
    path = Path(directory) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    qpvs = Qpv.objects.filter(generation=QpvGeneration.QPV_2024).prefetch_related("communes").order_by("code")
    lines = [TITLE, ";".join(HEADER)]
    for qpv in qpvs:
        communes = ",".join(sorted(commune.code for commune in qpv.communes.all()))
        name = qpv.name.replace(";", ",")
        lines.append(f"{qpv.code};{name};{communes};{synthetic_population(qpv.code, qpv.area_m2)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
