"""One way down (docs/architecture.md, ADR 004): no module imports an app above its own, not even inside a
function, and there is no list of exceptions. Every module under essor/ is parsed, its tests and migrations
included (a test of an app belongs to the app's layer; tests of the whole site live in essor/tests, on top).

To add an app: give it a line in BELOW (the apps directly under it); the test fails until it has one.
"""

import ast
from functools import cache
from pathlib import Path

import essor

PACKAGE = Path(essor.__file__).parent

# Each app and the apps directly below it; an app may import those and, transitively, everything under them.
BELOW: dict[str, tuple[str, ...]] = {
    "core": (),
    # the observatory chain
    "territories": ("core",),
    "sirene": ("territories",),
    "observatory": ("sirene",),
    # the hub; people, resources and sessions are placed in the reference geography, never in the observatory
    "accounts": ("core", "territories"),
    "resources": ("accounts",),
    "trainings": ("resources",),
    # above the hub and the observatory, in this order
    "surveys": ("observatory", "trainings"),
    "study": ("surveys",),
    "steering": ("study",),
    # diffusion reads releases, the observatory and the hub (open data, widgets, partner API access)
    "diffusion": ("steering",),
    # on top: the public API assembles every app's router
    "api": ("diffusion",),
}

# Modules of the project package itself (essor/*.py and essor/tests): the site's assembly, above every app.
PROJECT_TOP = {"urls", "cli", "wsgi", "tests"}
# essor.env is read by essor.settings only (settings come from django.conf); nobody imports essor.settings.
ENV_READERS = {"settings"}


@cache
def allowed_below(app: str) -> frozenset[str]:
    below = set()
    for lower in BELOW[app]:
        below |= {lower, *allowed_below(lower)}
    return frozenset(below)


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE).parts


def imported_names(tree: ast.AST, module_parts: tuple[str, ...]) -> list[tuple[int, str]]:
    """Every `essor.…` module imported anywhere in the file (top level, functions, classes, try blocks), relative
    imports resolved against the module's package."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = ["essor", *module_parts[:-1]][: len(module_parts) + 1 - node.level]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name == "essor" or name.startswith("essor.")]


def layer_of(parts: tuple[str, ...]) -> str:
    """`("sirene", "models.py")` -> "sirene"; `("urls.py",)` -> "urls"."""
    return parts[0].removesuffix(".py")


def violations() -> list[str]:
    problems = []
    for path, parts in modules():
        source = layer_of(parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported_names(tree, parts):
            target_parts = name.split(".")[1:]
            if not target_parts:
                continue
            target = target_parts[0]
            where = f"essor/{'/'.join(parts)}:{line} imports {name}"
            if source == target or source in PROJECT_TOP:
                continue
            if target in PROJECT_TOP or target == "settings":
                problems.append(f"{where}: the project's assembly is above every app")
            elif target == "env":
                if source not in ENV_READERS:
                    problems.append(f"{where}: only essor/settings.py reads the environment")
            elif source in ("env", "settings"):
                if target in BELOW:
                    problems.append(f"{where}: the settings import no app")
            elif target not in BELOW:
                continue  # a name of the essor package itself (e.g. `from essor import __version__`)
            elif source not in BELOW:
                problems.append(f"{where}: essor/{source} has no place in the layers (add it to BELOW)")
            elif target not in allowed_below(source):
                problems.append(f"{where}: {target} is not below {source}")
    return problems


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines reading os.environ / os.getenv (setting a default for a child process, `setdefault`, is not
    reading a setting)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "getenv":
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "environ":
            parent = getattr(node, "parent", None)
            if not (isinstance(parent, ast.Attribute) and parent.attr == "setdefault"):
                lines.append(node.lineno)
    return lines


def test_settings_are_read_from_the_environment_in_settings_only():
    problems = []
    for path, parts in modules():
        if layer_of(parts) not in BELOW:
            continue  # essor/settings.py, essor/env.py, the entry points and the site's tests
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node
        problems += [f"essor/{'/'.join(parts)}:{line}" for line in environment_reads(tree)]
    assert problems == [], "read the setting from django.conf.settings instead:\n" + "\n".join(problems)


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps - BELOW.keys() == set(), "add the new app to BELOW in this test and to docs/architecture.md"


def test_no_import_runs_up():
    problems = violations()
    assert problems == [], "\n".join(problems)


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    tree = ast.parse(
        "def f():\n    from essor.observatory.profile import x\n"
        "try:\n    import essor.trainings.models\nexcept ImportError:\n    pass\n"
        "from ..sirene import rules\n"
    )
    names = [name for _line, name in imported_names(tree, ("territories", "views.py"))]
    assert "essor.observatory.profile" in names
    assert "essor.trainings.models" in names
    assert "essor.sirene.rules" in names
    assert "observatory" not in allowed_below("territories")
    assert "sirene" not in allowed_below("accounts")
