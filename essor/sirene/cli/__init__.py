"""Subcommands of `essor sirene`: one module per subcommand in this package, discovered automatically.

A subcommand module defines:
    HELP = "one line shown in `essor sirene --help`"
    def add_arguments(parser): ...          # argparse sub-parser of the subcommand
    def run(command, **options): ...        # command is the Django BaseCommand (stdout, style); raise CommandError

The module name is the subcommand name (`ingest.py` -> `essor sirene ingest`). Keep modules thin: they parse
options, call domain modules of essor.sirene and print results.
"""

import importlib
import pkgutil
from types import ModuleType


def subcommands() -> dict[str, ModuleType]:
    modules = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "run") and hasattr(module, "add_arguments"):
            modules[info.name] = module
    return modules
