"""What changed between two editions (or two versions), for the programme team before publishing: figures whose
values moved (old and new), figures added or removed, and the texts that changed, block by block (matched by their
stable codes)."""

import difflib
from dataclasses import dataclass, field

from essor.study.content import localized
from essor.study.figures import cell_text
from essor.study.models import Edition


@dataclass
class FigureChange:
    key: str
    title: str
    old_number: int | None
    new_number: int | None
    cells: list[dict] = field(default_factory=list)  # {"row", "column", "old", "new"}
    status: str = "changed"  # changed | added | removed


@dataclass
class TextChange:
    key: str
    status: str  # changed | added | removed
    lines: list[str] = field(default_factory=list)  # unified diff lines


def _rows_by_label(figure: dict, lang: str) -> dict[str, dict]:
    first = figure["columns"][0]["key"]
    return {cell_text(row.get(first), lang): row for row in figure["rows"]}


def figure_changes(old: Edition, new: Edition, lang: str = "fr") -> list[FigureChange]:
    before, after = old.snapshot.get("figures", {}), new.snapshot.get("figures", {})
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (after.get(k) or before[k])["number"]):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            figure = b or a
            changes.append(
                FigureChange(
                    key,
                    cell_text(figure["title"], lang),
                    a and a["number"],
                    b and b["number"],
                    status="added" if a is None else "removed",
                )
            )
            continue
        change = FigureChange(key, cell_text(b["title"], lang), a["number"], b["number"])
        old_rows, new_rows = _rows_by_label(a, lang), _rows_by_label(b, lang)
        columns = [column for column in b["columns"][1:]]
        for label in sorted(set(old_rows) | set(new_rows)):
            for column in columns:
                was = (old_rows.get(label) or {}).get(column["key"])
                now = (new_rows.get(label) or {}).get(column["key"])
                if was != now:
                    change.cells.append(
                        {"row": label, "column": cell_text(column["label"], lang), "old": was, "new": now,
                         "type": column["type"]}
                    )  # fmt: skip
        if change.cells or a["number"] != b["number"]:
            changes.append(change)
    return changes


def _texts(edition: Edition, lang: str) -> dict[str, str]:
    texts = {}
    for chapter in edition.chapters.prefetch_related("blocks"):
        texts[f"{chapter.code}"] = localized(chapter, "title", lang)
        for block in chapter.blocks.all():
            body = "\n".join(filter(None, [localized(block, "title", lang), localized(block, "body", lang)]))
            texts[f"{chapter.code}/{block.code}"] = body
    return texts


def text_changes(old: Edition, new: Edition, lang: str = "fr") -> list[TextChange]:
    before, after = _texts(old, lang), _texts(new, lang)
    changes = []
    for key in list(after) + [key for key in before if key not in after]:
        if key not in before:
            changes.append(TextChange(key, "added", after[key].splitlines()))
        elif key not in after:
            changes.append(TextChange(key, "removed", before[key].splitlines()))
        elif before[key] != after[key]:
            lines = difflib.unified_diff(before[key].splitlines(), after[key].splitlines(), lineterm="", n=1)
            changes.append(
                TextChange(key, "changed", [line for line in lines if not line.startswith(("---", "+++"))])
            )
    return changes
