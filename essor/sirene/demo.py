"""The demonstration release: synthetic establishments for all of France, ingested as one release.

`essor sirene demo` (called by `make demo` through `essor demo_data`) generates the files once with fixed seeds
under DATA_DIR/sirene/demo/ and ingests them as a release marked synthetic. The files are the same bytes at
every run, so a re-run finds the same fingerprint and changes nothing. A real (non-synthetic) release that is
serving is never replaced by the demonstration.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from essor.sirene import synth_formats as layouts
from essor.sirene.models import Release
from essor.sirene.release import IngestOutcome, ingest
from essor.sirene.synth import GENERATOR_VERSION, SynthOptions, generate

# Every département, mainland and overseas, so that every territory page and all 22 métropoles have figures.
TERRITORIES = ("france:FR",)
SEED = 2026
# A 1/200 sample of the national stock (~220,000 establishments, ~90,000 active, ~8,500 ESS): the whole demo
# set-up stays under 3 minutes on 2 cores. Recorded as the release's sample rate (essor.sirene.coverage).
SCALE = 0.005
VINTAGE = dt.date(2026, 11, 1)
ROLES = {
    "unites_legales": layouts.UNITES_LEGALES,
    "etablissements": layouts.ETABLISSEMENTS,
    "geolocalisation": layouts.GEOLOCALISATION,
}


@dataclass
class DemoOutcome:
    message: str
    release: Release | None
    changed: bool


def demo_dir(scale: float, establishments: int | None) -> Path:
    size = f"n{establishments}" if establishments else f"scale{scale:g}"
    return Path(settings.DATA_DIR) / "sirene" / "demo" / f"v{GENERATOR_VERSION}-seed{SEED}-{size}"


def _files(out: Path) -> dict[str, Path]:
    return {role: out / f"{name}.parquet" for role, name in ROLES.items()}


def ensure_files(scale: float = SCALE, establishments: int | None = None, progress=None) -> dict[str, Path]:
    """The demo files, generated unless a complete set is already there (same seed, same size)."""
    out = demo_dir(scale, establishments)
    files = _files(out)
    if out.parent.exists():
        # Files of older generator versions or of other sizes are never reused: remove them.
        for stale in out.parent.iterdir():
            if stale.is_dir() and stale != out:
                shutil.rmtree(stale, ignore_errors=True)
    if (out / "README.txt").exists() and all(path.exists() for path in files.values()):
        return files
    options = SynthOptions(
        territory=",".join(TERRITORIES), out=out, scale=scale, seed=SEED, format="parquet",
        establishments=establishments,
    )  # fmt: skip
    generate(options, progress=progress)
    return files


def run_demo(scale: float = SCALE, establishments: int | None = None, progress=None) -> DemoOutcome:
    active = Release.objects.active()
    if active is not None and not active.synthetic:
        return DemoOutcome(
            f"A release of real SIRENE files is serving ({active}); the synthetic demonstration is not loaded.",
            active,
            False,
        )
    files = ensure_files(scale, establishments, progress=lambda message: progress and progress.note(message))
    rate = scale if establishments is None else 1.0
    outcome: IngestOutcome = ingest(
        files, vintage=VINTAGE, synthetic=True, progress=progress, sample_rate=min(rate, 1.0)
    )
    return DemoOutcome(outcome.message, outcome.release, outcome.changed)
