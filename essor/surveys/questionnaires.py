"""Questionnaires and their versions: import from XLSForm, export to XLSForm, new versions instead of edits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from essor.surveys.definition import load
from essor.surveys.models import Questionnaire, QuestionnaireVersion
from essor.surveys.xlsform import read_xlsform, write_xlsform

DATA_DIR = Path(__file__).parent / "data"
PROGRAMME_FILES = ("besoins-ingenierie.xlsx", "politiques-ess-metropoles.xlsx")


@dataclass
class ImportOutcome:
    version: QuestionnaireVersion
    created: bool  # False when the file equals the latest version (nothing to do)

    def line(self) -> str:
        what = "new version" if self.created else "unchanged"
        return f"{self.version.questionnaire.slug} v{self.version.number}: {what}"


def slug_for(data: dict, fallback: str) -> str:
    return slugify((data.get("settings") or {}).get("form_id", "").replace("_", "-")) or slugify(fallback)


def save_definition(data: dict, *, slug: str, source: str = "", is_demo: bool = False) -> ImportOutcome:
    """Store a definition as the questionnaire's next version (the same as the latest one: nothing changes)."""
    parsed = load(data)
    with transaction.atomic():
        questionnaire, _created = Questionnaire.objects.get_or_create(
            slug=slug,
            defaults={
                "title_fr": parsed.title("fr") or slug,
                "title_en": (parsed.settings.get("title") or {}).get("en", ""),
                "is_demo": is_demo,
            },
        )
        latest = questionnaire.versions.select_for_update().order_by("-number").first()
        if latest is not None and latest.definition == data:
            return ImportOutcome(latest, created=False)
        if latest is not None and not latest.is_frozen:
            # A draft nobody answers yet is replaced in place; a frozen one is kept and a new version made.
            latest.definition, latest.source = data, source
            latest.save(update_fields=["definition", "source"])
            version = latest
        else:
            number = (latest.number + 1) if latest else 1
            version = QuestionnaireVersion.objects.create(
                questionnaire=questionnaire, number=number, definition=data, source=source
            )
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            title_fr=parsed.title("fr") or questionnaire.title_fr,
            title_en=(parsed.settings.get("title") or {}).get("en", "") or questionnaire.title_en,
        )
    return ImportOutcome(version, created=True)


def import_xlsform(
    source, *, slug: str | None = None, name: str = "", is_demo: bool = False
) -> ImportOutcome:
    """Read an XLSForm (path or file) and store it as the next version of its questionnaire."""
    data = read_xlsform(source)
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "")
    return save_definition(
        data, slug=slug or slug_for(data, Path(name).stem or "questionnaire"), source=name, is_demo=is_demo
    )


def export_xlsform(version: QuestionnaireVersion) -> bytes:
    return write_xlsform(version.definition)


def load_programme_questionnaires() -> list[ImportOutcome]:
    """The programme's two questionnaires shipped with essor (engineering needs; ESS policies of metropolises)."""
    return [import_xlsform(DATA_DIR / name, name=name) for name in PROGRAMME_FILES]


def programme_choice_labels(list_name: str, language: str) -> list[tuple[str, str]]:
    """(value, label) of a choice list of the engineering-needs questionnaire (themes of the needs board)."""
    from essor.surveys.definition import text_of

    version = (
        QuestionnaireVersion.objects.filter(questionnaire__slug="besoins-ingenierie")
        .order_by("-number")
        .first()
    )
    items = (version.definition.get("choices") or {}).get(list_name, []) if version else []
    return [(item["value"], text_of(item.get("label"), language)) for item in items]
