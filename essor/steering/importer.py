"""Import a parsed action sheet into the roadmap: one transaction, idempotent (the sheet's number identifies it;
actions and steps are matched by position), counts of what was created, updated, unchanged and removed.

The sheet file is the source of truth for the text it holds (titles, descriptions, dates as written, referents,
partners); what the programme team adds in essor (statuses, completion, English titles, accounts of the
participants) is never overwritten by a re-import.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from essor.accounts.models import Organisation, OrganisationKind
from essor.steering.audit import acting_as
from essor.steering.models import (
    Action,
    ActionSheet,
    Axis,
    Convention,
    Participant,
    ParticipantRole,
    Step,
    StepKind,
)
from essor.steering.sheet_format import ParsedSheet, clean, parse_file

CONVENTION_RE = re.compile(
    r"convention\s+(?P<funder>[^\d(]+?)\s+(?P<start>(?:19|20)\d{2})\s*[/-]", re.IGNORECASE
)
NAME_RE = re.compile(
    r"^(?P<name>[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*)\s*(?:[,(:\u2013-]\s*|\s+(?=\S))(?P<note>.+)$"
)


@dataclass
class ImportReport:
    sheet: ActionSheet | None = None
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    linked_conventions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged) | set(self.removed))
        lines = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged, {self.removed[kind]} removed"
            for kind in kinds
        ]
        lines += [f"linked to convention: {title}" for title in self.linked_conventions]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def _upsert(model, lookup: dict, values: dict, report: ImportReport, create_only: dict | None = None):
    kind = model.__name__.lower()
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(create_only or {}))
        report.created[kind] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1
    return obj


def split_contributors(text: str) -> list[tuple[str, str]]:
    """ "Mahel Coppey sur le suivi de la convention France urbaine/RTES" -> [("Mahel Coppey", "sur le suivi …")]."""
    people = []
    for part in (clean(chunk) for chunk in text.split(";")):
        if not part:
            continue
        match = NAME_RE.match(part)
        people.append((clean(match["name"]), clean(match["note"].rstrip(")"))) if match else (part, ""))
    return people


def import_file(path: str | Path, *, dry_run: bool = False, user=None, source: str = "import-action-sheet"):
    """Parse (SheetFormatError names the line) and import; returns (parsed sheet, report)."""
    path = Path(path)
    parsed = parse_file(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return parsed, import_sheet(
        parsed, source_file=path.name, sha256=digest, dry_run=dry_run, user=user, source=source
    )


def import_sheet(
    parsed: ParsedSheet, *, source_file: str, sha256: str, dry_run=False, user=None, source="import"
):
    report = ImportReport(dry_run=dry_run)
    with acting_as(user, source), transaction.atomic():
        _write(parsed, source_file, sha256, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(parsed: ParsedSheet, source_file: str, sha256: str, report: ImportReport) -> None:
    axis = _upsert(Axis, {"number": parsed.axis_number}, {"title_fr": parsed.axis_title}, report)
    sheet_values = {
        "axis": axis,
        "title_fr": parsed.title,
        "contributors": parsed.contributors,
        "context": parsed.context,
        "objectives": parsed.objectives,
        "means": parsed.means,
        "source_file": source_file,
        "source_sha256": sha256,
        "source_lines": parsed.lines,
    }
    sheet = _upsert(ActionSheet, {"number": parsed.number}, sheet_values, report)
    if report.created["actionsheet"] or report.updated["actionsheet"]:
        ActionSheet.objects.filter(pk=sheet.pk).update(imported_at=timezone.now())
    report.sheet = sheet

    for position, parsed_action in enumerate(parsed.actions, start=1):
        action = _upsert(
            Action,
            {"sheet": sheet, "position": position},
            {"title_fr": parsed_action.title, "text": parsed_action.text, "source_line": parsed_action.line},
            report,
        )
        for step_position, parsed_step in enumerate(parsed_action.steps, start=1):
            span = parsed_step.range
            precise = span is not None and (span.end - span.start).days <= 2
            _upsert(
                Step,
                {"action": action, "position": step_position},
                {
                    "text_fr": parsed_step.text,
                    "when": parsed_step.when or "",
                    "starts_on": span.start if span else None,
                    "ends_on": span.end if span else None,
                    "source_line": parsed_step.line,
                },
                report,
                create_only={"kind": StepKind.MILESTONE if precise else StepKind.STEP},
            )
        _remove(Step.objects.filter(action=action, position__gt=len(parsed_action.steps)), "step", report)
    _remove(Action.objects.filter(sheet=sheet, position__gt=len(parsed.actions)), "action", report)

    wanted = []
    if parsed.board_referent:
        wanted.append((ParticipantRole.BOARD_REFERENT, parsed.board_referent, ""))
    if parsed.team_referent:
        wanted.append((ParticipantRole.TEAM_REFERENT, parsed.team_referent, ""))
    wanted += [
        (ParticipantRole.CONTRIBUTOR, name, note) for name, note in split_contributors(parsed.contributors)
    ]
    keep = []
    for role, name, note in wanted:
        keep.append(
            _upsert(Participant, {"sheet": sheet, "role": role, "name": name}, {"note": note}, report).pk
        )
    _remove(Participant.objects.filter(sheet=sheet).exclude(pk__in=keep), "participant", report)

    partners = []
    for name in parsed.partners:
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=name, kind=OrganisationKind.OTHER)
            report.created["organisation"] += 1
        partners.append(organisation)
    if {o.pk for o in sheet.partners.all()} != {o.pk for o in partners}:
        sheet.partners.set(partners)
        report.updated["partners"] += 1
    _link_conventions(parsed, sheet, report)


def _remove(queryset, kind: str, report: ImportReport) -> None:
    for obj in queryset:
        obj.delete()
        report.removed[kind] += 1


def _link_conventions(parsed: ParsedSheet, sheet: ActionSheet, report: ImportReport) -> None:
    """ "Convention ANCT 2020/2022 (…)" in the means: the sheet belongs to that convention when it exists."""
    for match in CONVENTION_RE.finditer(parsed.means):
        conventions = Convention.objects.filter(
            funder__name__iexact=match["funder"].strip(), starts_on__year=int(match["start"])
        )
        for convention in conventions:
            if not convention.action_sheets.filter(pk=sheet.pk).exists():
                convention.action_sheets.add(sheet)
            report.linked_conventions.append(convention.title_fr)
