"""`essor steering import-action-sheet`: the real sheet into the roadmap, idempotent, dry run, JSON, errors."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from essor.accounts.models import Organisation
from essor.steering.importer import import_file, split_contributors
from essor.steering.models import Action, ActionSheet, AuditEntry, Axis, Participant, Status, Step, StepKind
from essor.steering.tests.sheets import OTHER_BULLETS, REAL_SHEET, real_text, variant

pytestmark = pytest.mark.django_db


def test_importing_the_real_sheet_builds_the_roadmap():
    _parsed, report = import_file(REAL_SHEET)
    sheet = ActionSheet.objects.get()
    assert (sheet.axis.number, sheet.number) == (2, 3)
    assert sheet.source_file == "fiche-action-3-qpv.txt"
    assert len(sheet.source_sha256) == 64 and sheet.imported_at is not None
    assert sheet.actions.count() == 3
    assert sorted(sheet.partners.values_list("name", flat=True)) == ["ANCT", "Avisa", "ESS France"]
    steps = Step.objects.filter(action__position=1).order_by("position")
    assert [(s.when, s.starts_on, s.ends_on) for s in steps] == [
        ("début 2021", date(2021, 1, 1), date(2021, 4, 30)),
        ("fin 2021", date(2021, 9, 1), date(2021, 12, 31)),
        ("", None, None),
    ]
    assert set(Participant.objects.values_list("role", "name", "note")) == {
        ("board_referent", "Emmanuelle Rousset", ""),
        ("team_referent", "Anne-Laure Federici", ""),
        ("contributor", "Mahel Coppey", "sur le suivi de la convention France urbaine/RTES"),
    }
    assert report.created["action"] == 3 and report.created["step"] == 4


def test_reimporting_updates_and_never_duplicates(tmp_path):
    import_file(REAL_SHEET)
    step = Step.objects.get(action__position=1, position=1)
    step.status, step.progress, step.text_en = Status.DONE, 100, "Survey of cross-training experiences"
    step.save()
    _parsed, again = import_file(REAL_SHEET)
    assert again.created == {} and again.updated == {}
    assert (ActionSheet.objects.count(), Action.objects.count(), Step.objects.count()) == (1, 3, 4)
    assert Organisation.objects.filter(name="ANCT").count() == 1

    edited = (
        real_text()
        .replace("fin 2021 (si", "premier semestre 2022 (si")
        .replace(
            " - Signature officielle de la convention RTES / France urbaine et lancement des chantiers de travail.",
            "",
        )
    )
    _parsed, changed = import_file(variant(tmp_path, edited))
    assert changed.updated["step"] == 1 and changed.removed["step"] == 1
    moved = Step.objects.get(action__position=1, position=2)
    assert (moved.when, moved.starts_on) == ("premier semestre 2022", date(2022, 1, 1))
    kept = Step.objects.get(action__position=1, position=1)
    assert (kept.status, kept.progress, kept.text_en) == (
        Status.DONE,
        100,
        "Survey of cross-training experiences",
    )
    assert Step.objects.count() == 3


def test_a_dry_run_writes_nothing():
    _parsed, report = import_file(REAL_SHEET, dry_run=True)
    assert report.created["action"] == 3
    assert not ActionSheet.objects.exists() and not Axis.objects.exists() and not AuditEntry.objects.exists()
    assert report.lines()[-1] == "dry run: nothing was written"


def test_the_command_prints_the_issue_json(capsys):
    call_command("steering", "import-action-sheet", str(REAL_SHEET), "--json", "--dry-run")
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert list(data) == ["axis", "number", "title", "board_referent", "team_referent", "contributors", "context",
                          "objectives", "actions", "means", "partners"]  # fmt: skip
    assert data["axis"]["number"] == 2 and isinstance(data["number"], int)
    assert [list(action) for action in data["actions"]] == [["title", "text", "steps"]] * 3
    assert data["actions"][0]["steps"][0] == {
        "text": "Repérage et analyse d'expériences de formations croisées déjà menées au niveau national et en région",
        "when": "début 2021",
    }
    assert "axis 2, sheet 3, 3 actions" in err and "dry run" in err
    assert not ActionSheet.objects.exists()


def test_the_command_reports_counts(capsys):
    call_command("steering", "import-action-sheet", str(REAL_SHEET))
    call_command("steering", "import-action-sheet", str(REAL_SHEET))
    out = capsys.readouterr().out
    assert "action: 3 created, 0 updated, 0 unchanged, 0 removed" in out
    assert "action: 0 created, 0 updated, 3 unchanged, 0 removed" in out


def test_the_command_names_the_file_and_line_of_an_error(tmp_path):
    bad = variant(tmp_path, real_text().replace("**Formations", "Formations"), "bad.txt")
    with pytest.raises(CommandError, match=r"bad\.txt:26: unclosed bold marker"):
        call_command("steering", "import-action-sheet", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("steering", "import-action-sheet", str(tmp_path / "missing.txt"))
    assert not ActionSheet.objects.exists()


def test_a_variant_imports_with_milestones_for_precise_days(tmp_path):
    import_file(variant(tmp_path, OTHER_BULLETS))
    publication = Step.objects.get(text_fr="Publication")
    assert publication.kind == StepKind.MILESTONE
    assert (publication.starts_on, publication.ends_on) == (date(2021, 9, 9), date(2021, 9, 10))
    assert Step.objects.get(text_fr="Premier jet").kind == StepKind.STEP


def test_contributors_are_split_into_names_and_notes():
    assert split_contributors("Mahel Coppey sur le suivi de la convention; Jean Dupont (trésorier)") == [
        ("Mahel Coppey", "sur le suivi de la convention"),
        ("Jean Dupont", "trésorier"),
    ]
    assert split_contributors("") == []


def test_the_import_is_in_the_audit_trail():
    import_file(REAL_SHEET)
    entry = AuditEntry.objects.filter(object_repr__startswith="Action sheet 3").get(action="created")
    assert entry.actor == "import-action-sheet" and entry.changes["number"] == [None, 3]
    assert AuditEntry.objects.filter(action="changed", changes__has_key="partners").exists()
