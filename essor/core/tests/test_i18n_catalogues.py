"""The translation catalogues are complete and current, for every app that owns one (settings.LOCALE_APPS).

For each app, `makemessages` runs (as `make messages` does) on a temporary copy of the app's sources; the test
fails when that would add or remove a message, when a French message has no translation or is fuzzy, or when a
compiled .mo no longer matches its .po. Fix with `make messages APPS=<app>`, fill the French msgstr, run it again.
Needs GNU gettext (xgettext, msgmerge, msguniq, msgattrib, msgfmt).
"""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

APPS_DIR = Path(settings.BASE_DIR) / "essor"
LANGUAGES = ["fr", "en"]
GETTEXT_TOOLS = ["xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt"]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the "django" domain
FIX = "run `make messages APPS={app}`, fill every French msgstr, then run it again"


def _require_gettext():
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext is required to check the translation catalogues but {', '.join(missing)} "
            "is not on PATH: install it (Debian/Ubuntu: `apt-get install gettext`).",
            pytrace=False,
        )


def parse_po(path: Path) -> dict[tuple, dict]:
    """Entries of a .po file written by the gettext tools (entries separated by blank lines):
    {(msgctxt, msgid, msgid_plural): {"msgstr": [...], "fuzzy": bool}}, header and obsolete entries left out."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy = False
        last = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                fuzzy = "fuzzy" in line
            elif not line or line.startswith("#"):
                continue  # comments and obsolete (#~) entries
            elif line.startswith('"'):
                fields[last] += _unquote(line)
            else:
                last, _sep, rest = line.partition(" ")
                fields[last] = _unquote(rest)
        if fields.get("msgid"):
            key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            strings = [value for name, value in sorted(fields.items()) if name.startswith("msgstr")]
            entries[key] = {"msgstr": strings, "fuzzy": fuzzy}
    return entries


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"Not a quoted .po string: {text!r}")
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(1)), text[1:-1])


def _copy_sources(app: str, destination: Path) -> None:
    source = APPS_DIR / app
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if "tests" in relative.parts or "__pycache__" in relative.parts or relative.parts[0] == "locale":
            continue
        if path.is_file() and path.suffix in SOURCE_SUFFIXES:
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    for language in LANGUAGES:
        po = source / "locale" / language / "LC_MESSAGES" / "django.po"
        target = destination / "locale" / language / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        if po.exists():
            shutil.copy2(po, target / "django.po")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """{app: {language: entries of the catalogue makemessages would write}}, computed once per app."""
    _require_gettext()
    cache = {}

    def regenerate(app: str) -> dict:
        if app not in cache:
            workdir = tmp_path_factory.mktemp(f"messages-{app}")
            _copy_sources(app, workdir)
            previous = os.getcwd()
            try:
                os.chdir(workdir)
                with override_settings(
                    LOCALE_PATHS=[]
                ):  # write into the copy only, never into the repository
                    call_command(
                        "makemessages",
                        locale=LANGUAGES,
                        no_obsolete=True,
                        add_location="never",
                        ignore_patterns=["tests"],
                        verbosity=0,
                    )
            finally:
                os.chdir(previous)
            cache[app] = {
                language: parse_po(po)
                if (po := workdir / "locale" / language / "LC_MESSAGES" / "django.po").exists()
                else {}
                for language in LANGUAGES
            }
        return cache[app]

    return regenerate


def _catalogue(app: str, language: str, suffix: str = "po") -> Path:
    return APPS_DIR / app / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


@pytest.mark.parametrize("app", settings.LOCALE_APPS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_interface_string(app, language, regenerated):
    expected = set(regenerated(app)[language])
    path = _catalogue(app, language)
    current = set(parse_po(path)) if path.exists() else set()
    missing = sorted(key[1] for key in expected - current)
    obsolete = sorted(key[1] for key in current - expected)
    assert not missing and not obsolete, (
        f"{path.relative_to(settings.BASE_DIR)} is stale ({FIX.format(app=app)}).\n"
        f"Missing ({len(missing)}): {missing[:10]}\nNo longer used ({len(obsolete)}): {obsolete[:10]}"
    )


@pytest.mark.parametrize("app", settings.LOCALE_APPS)
def test_french_translation_is_complete(app):
    path = _catalogue(app, "fr")
    if not path.exists():
        pytest.skip(f"{app} has no French catalogue (the catalogue test says whether it needs one).")
    entries = parse_po(path)
    plurals = int(re.search(r"nplurals=(\d+)", path.read_text(encoding="utf-8")).group(1))

    def translated(key, entry) -> bool:
        forms = entry["msgstr"]
        return all(forms) and (key[2] is None or len(forms) == plurals)  # every plural form of the language

    untranslated = sorted(key[1] for key, entry in entries.items() if not translated(key, entry))
    fuzzy = sorted(key[1] for key, entry in entries.items() if entry["fuzzy"])
    assert not untranslated and not fuzzy, (
        f"{path.relative_to(settings.BASE_DIR)}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy "
        f"({FIX.format(app=app)}).\nUntranslated: {untranslated[:10]}\nFuzzy: {fuzzy[:10]}"
    )


@pytest.mark.parametrize("app", settings.LOCALE_APPS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(app, language, tmp_path):
    _require_gettext()
    po = _catalogue(app, language)
    if not po.exists():
        pytest.skip(f"{app} has no {language} catalogue.")
    mo = _catalogue(app, language, "mo")
    assert mo.exists(), f"{mo.relative_to(settings.BASE_DIR)} is missing ({FIX.format(app=app)})."
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True, capture_output=True)
    with mo.open("rb") as current, fresh.open("rb") as expected:
        assert gettext.GNUTranslations(current)._catalog == gettext.GNUTranslations(expected)._catalog, (
            f"{mo.relative_to(settings.BASE_DIR)} does not match its .po ({FIX.format(app=app)})."
        )


def test_same_message_has_the_same_french_translation_in_every_app():
    """Django merges the apps' catalogues at run time and the first one in LOCALE_PATHS wins: a message translated
    differently in two apps would show the other app's wording. Disambiguate with pgettext (msgctxt)."""
    seen: dict[tuple, tuple[str, list[str]]] = {}
    conflicts = []
    for app in settings.LOCALE_APPS:
        path = _catalogue(app, "fr")
        if not path.exists():
            continue
        for key, entry in parse_po(path).items():
            if key in seen and seen[key][1] != entry["msgstr"]:
                conflicts.append(f"{key[1]!r}: {seen[key][0]} {seen[key][1]} vs {app} {entry['msgstr']}")
            seen.setdefault(key, (app, entry["msgstr"]))
    assert not conflicts, "Messages translated differently across apps:\n" + "\n".join(conflicts)
