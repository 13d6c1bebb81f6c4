"""The text format of the programme's action sheets (see data/fiche-action-3-qpv.txt), parsed into plain data.

    AXE 2 : TITLE OF THE AXIS
    Fiche-action n°3                      (the title on the same line after ":" or on the next line)
    Title of the sheet
    Référent CA : Name.                   (labels are matched without accents or case; see LABELS)
    Autres contributeurs : …
    Référent équipe : Name.
    Contexte :                            paragraphs
    Objectifs :                           bullets (-, –, •, *, 1., 1))
    Actions :                             bullets; **bold** start = the action's title; steps are bullets indented
                                          deeper than their action, a date at their end ("… - début 2021") or inside
    Moyens humains et financiers : …
    Partenaires : A ; B ; C.

Only the axis, the sheet number, its title and at least one action are required. Any other problem (unknown
section heading, a section twice, a step before any action, unclosed bold) raises SheetFormatError naming the line.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from essor.steering import dates

LABELS = {
    "board_referent": ["referent ca", "referente ca", "referent du ca", "referent conseil d'administration",
                       "referente conseil d'administration", "board referent"],
    "contributors": ["autres contributeurs", "autres contributrices", "contributeurs", "contributeur",
                     "contributors", "other contributors"],
    "team_referent": ["referent equipe", "referente equipe", "referent de l'equipe", "team referent"],
    "context": ["contexte", "context"],
    "objectives": ["objectifs", "objectif", "objectives"],
    "actions": ["actions", "action"],
    "means": ["moyens humains et financiers", "moyens", "means"],
    "partners": ["partenaires", "partenaire", "partners"],
}  # fmt: skip
SECTION_NAMES = {
    "board_referent": "Référent CA",
    "contributors": "Autres contributeurs",
    "team_referent": "Référent équipe",
    "context": "Contexte",
    "objectives": "Objectifs",
    "actions": "Actions",
    "means": "Moyens humains et financiers",
    "partners": "Partenaires",
}
AXIS_RE = re.compile(r"^\s*axe\s+(?P<number>\d+)\s*[:.\-\u2013\u2014]\s*(?P<title>.+?)\s*$")
SHEET_RE = re.compile(
    r"^\s*fiche[\s\-\u2011]*action\s*(?:n\s*[°ºo]?\s*\.?\s*)?(?P<number>\d+)\s*(?:[:.\-\u2013\u2014]\s*(?P<title>.*?))?\s*$"
)
LABEL_RE = re.compile(r"^\s*(?P<label>[^:]{2,60}?)\s*:\s*(?P<value>.*?)\s*$")
BULLET_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<bullet>[-\u2013\u2014\u2022\u25e6\u25aa*\u00b7]|\d{1,2}[.)])\s+(?P<text>\S.*)$"
)
BOLD_START_RE = re.compile(r"^\*\*(?P<title>.+?)\*\*(?P<rest>.*)$")
TRAILING = " \t,;:.\u2026"
DATE_SUFFIX_RE = re.compile(
    r"^(?P<text>.+?)\s*(?:[-\u2013\u2014:]|\()\s*(?P<when>[^-\u2013\u2014:()]+?)\)?\s*[.,;]?$"
)


class SheetFormatError(ValueError):
    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass
class Step:
    text: str
    when: str | None
    line: int
    range: dates.DateRange | None = None

    def as_json(self) -> dict:
        return {"text": self.text, "when": self.when}


@dataclass
class Action:
    title: str
    text: str
    line: int
    steps: list[Step] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"title": self.title, "text": self.text, "steps": [step.as_json() for step in self.steps]}


@dataclass
class ParsedSheet:
    axis_number: int
    axis_title: str
    number: int
    title: str
    board_referent: str = ""
    team_referent: str = ""
    contributors: str = ""
    context: str = ""
    objectives: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    means: str = ""
    partners: list[str] = field(default_factory=list)
    reference_year: int | None = None
    lines: dict[str, int] = field(default_factory=dict)  # section -> line of its heading (provenance)

    def as_json(self) -> dict:
        return {
            "axis": {"number": self.axis_number, "title": self.axis_title},
            "number": self.number,
            "title": self.title,
            "board_referent": self.board_referent,
            "team_referent": self.team_referent,
            "contributors": self.contributors,
            "context": self.context,
            "objectives": self.objectives,
            "actions": [action.as_json() for action in self.actions],
            "means": self.means,
            "partners": self.partners,
        }


def clean(text: str) -> str:
    """One line of prose: spaces collapsed, trailing punctuation and ellipses removed (", ..." included)."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return text.rstrip(TRAILING).strip()


def _section_of(label: str) -> str | None:
    folded = re.sub(r"\s+", " ", dates.fold(label).replace("·e", "").replace("(e)", "")).strip()
    for section, names in LABELS.items():
        if folded in names:
            return section
    return None


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


@dataclass
class _Block:
    section: str
    line: int
    inline: str
    body: list[tuple[int, str]] = field(default_factory=list)  # (line number, raw line), blank lines included


def parse_file(path: str | Path) -> ParsedSheet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetFormatError(str(path), 1, f"not UTF-8 text ({exc.reason})") from None
    return parse(text, name=str(path))


def parse(text: str, name: str = "<sheet>") -> ParsedSheet:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(index + 1, line) for index, line in enumerate(lines)]
    content = [(number, line) for number, line in numbered if line.strip()]
    if not content:
        raise SheetFormatError(name, 1, "the file is empty")

    def error(line: int, message: str):
        return SheetFormatError(name, line, message)

    position = 0
    number, line = content[position]
    axis = AXIS_RE.match(dates.fold(line))
    if not axis:
        raise error(number, f"expected the axis, such as « AXE 2 : TITRE », found « {line.strip()[:60]} »")
    axis_number = int(axis["number"])
    axis_title = clean(line[axis.start("title") : axis.end("title")])
    position += 1

    if position >= len(content):
        raise error(number, "expected « Fiche-action n°N » after the axis, found the end of the file")
    number, line = content[position]
    sheet = SHEET_RE.match(dates.fold(line))
    if not sheet:
        raise error(number, f"expected « Fiche-action n°N », found « {line.strip()[:60]} »")
    sheet_number = int(sheet["number"])
    title = clean(line[sheet.start("title") : sheet.end("title")]) if sheet["title"] else ""
    sheet_line = number
    position += 1
    if not title:
        if position >= len(content) or _label_section(content[position][1]):
            raise error(
                sheet_line, "the sheet has no title (expected on the line after « Fiche-action n°N »)"
            )
        number, line = content[position]
        title = clean(line)
        position += 1

    # Split the rest into labelled blocks; blank lines are kept inside a block (paragraph breaks).
    blocks: list[_Block] = []
    seen: dict[str, int] = {}
    first_body = content[position][0] if position < len(content) else None
    for number, line in numbered:
        if first_body is None or number < first_body:
            continue
        section = _label_section(line) if not BULLET_RE.match(line) else None
        if section:
            if section in seen:
                raise error(
                    number, f"section « {SECTION_NAMES[section]} » already given on line {seen[section]}"
                )
            seen[section] = number
            blocks.append(_Block(section, number, LABEL_RE.match(line)["value"]))
            continue
        heading = LABEL_RE.match(line)
        if heading and not heading["value"] and not BULLET_RE.match(line) and len(heading["label"]) <= 40:
            known = ", ".join(f"« {name} »" for name in SECTION_NAMES.values())
            raise error(number, f"unknown section « {heading['label'].strip()} » (expected one of {known})")
        if not blocks:
            if line.strip():
                raise error(
                    number, f"expected a section such as « Référent CA : … », found « {line.strip()[:60]} »"
                )
            continue
        blocks[-1].body.append((number, line))

    parsed = ParsedSheet(axis_number, axis_title, sheet_number, title)
    parsed.lines = {"axis": content[0][0], "sheet": sheet_line}
    for block in blocks:
        parsed.lines[block.section] = block.line
    by_section = {block.section: block for block in blocks}
    if "actions" not in by_section:
        last = blocks[-1].line if blocks else sheet_line
        raise error(last, "missing section « Actions : » (at least one action is required)")

    for section in ("board_referent", "team_referent", "contributors", "means"):
        if section in by_section:
            setattr(parsed, section, _prose(by_section[section]))
    if "context" in by_section:
        parsed.context = _paragraphs(by_section["context"])
    if "objectives" in by_section:
        parsed.objectives = [clean(text) for _line, text in _items(by_section["objectives"], error)]
    if "partners" in by_section:
        parsed.partners = _partners(by_section["partners"])
    actions_block = by_section["actions"]
    actions_text = " ".join(text for _n, text in actions_block.body)
    parsed.reference_year = (
        dates.first_year(actions_text) or dates.first_year(parsed.means) or dates.first_year(text)
    )
    parsed.actions = _actions(actions_block, parsed.reference_year, error)
    return parsed


def _label_section(line: str) -> str | None:
    match = LABEL_RE.match(line)
    return _section_of(match["label"]) if match else None


def _prose(block: _Block) -> str:
    return clean(" ".join([block.inline, *(text for _n, text in block.body)]))


def _paragraphs(block: _Block) -> str:
    paragraphs, current = [], [block.inline] if block.inline else []
    for _number, text in block.body:
        if text.strip():
            current.append(text)
        elif current:
            paragraphs.append(clean(" ".join(current)))
            current = []
    if current:
        paragraphs.append(clean(" ".join(current)))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _items(block: _Block, error) -> list[tuple[int, str]]:
    """Bullets (continuation lines joined to theirs); without any bullet, one item per paragraph."""
    lines = ([(block.line, block.inline)] if block.inline else []) + block.body
    if not any(BULLET_RE.match(text) for _n, text in lines):
        paragraphs = _paragraphs(_Block(block.section, block.line, "", lines))
        return [(block.line, paragraph) for paragraph in paragraphs.split("\n\n") if paragraph]
    items: list[tuple[int, str]] = []
    for number, text in lines:
        bullet = BULLET_RE.match(text)
        if bullet:
            items.append((number, bullet["text"]))
        elif text.strip():
            if not items:
                raise error(number, f"expected a bullet (« - … ») in « {SECTION_NAMES[block.section]} »")
            items[-1] = (items[-1][0], items[-1][1] + " " + text.strip())
    return items


def _partners(block: _Block) -> list[str]:
    text = " ; ".join(
        (BULLET_RE.match(line)["text"] if BULLET_RE.match(line) else line)
        for line in [block.inline, *(text for _n, text in block.body)]
        if line.strip()
    )
    separator = ";" if ";" in text else ","
    return [name for name in (clean(part) for part in text.split(separator)) if name]


def _actions(block: _Block, reference_year: int | None, error) -> list[Action]:
    actions: list[Action] = []
    action_indent = None
    last_item: Action | Step | None = None
    lines = ([(block.line, block.inline)] if block.inline else []) + block.body
    raw: list[tuple[str, int, str]] = []  # ("action" | "step", line, text)
    for number, text in lines:
        bullet = BULLET_RE.match(text)
        if not bullet:
            if text.strip():
                if not raw:
                    raise error(number, "expected an action bullet (« - **Titre** … ») under « Actions »")
                kind, first_line, previous = raw[-1]
                raw[-1] = (kind, first_line, previous + " " + text.strip())
            continue
        width = _indent_width(bullet["indent"])
        if action_indent is None:
            action_indent = width
        if width > action_indent:
            if not raw:
                raise error(number, "a step comes before any action")
            raw.append(("step", number, bullet["text"]))
        else:
            action_indent = min(action_indent, width)
            raw.append(("action", number, bullet["text"]))
    for kind, number, text in raw:
        if text.count("**") % 2:
            raise error(number, "unclosed bold marker « ** »")
        if kind == "action":
            title, rest = _split_title(text)
            last_item = Action(title=title, text=rest, line=number)
            actions.append(last_item)
        else:
            actions[-1].steps.append(_step(text, number, reference_year))
    if not actions:
        raise error(block.line, "the « Actions » section lists no action")
    return actions


def _split_title(text: str) -> tuple[str, str]:
    bold = BOLD_START_RE.match(text.strip())
    if bold:
        return clean(bold["title"]), clean(bold["rest"].lstrip(" ,;:.\u2013\u2014-").replace("**", ""))
    plain = text.replace("**", "").strip()
    for separator in (" : ", ". ", " \u2013 ", " \u2014 "):
        if separator in plain:
            head, tail = plain.split(separator, 1)
            return clean(head), clean(tail)
    return clean(plain), ""


def _step(text: str, line: int, reference_year: int | None) -> Step:
    plain = clean(text.replace("**", ""))
    suffix = DATE_SUFFIX_RE.match(plain)
    if suffix:
        found = dates.resolve(suffix["when"], reference_year)
        if found:
            return Step(text=clean(suffix["text"]), when=found.text, line=line, range=found)
    found = dates.find(plain, reference_year)
    return Step(text=plain, when=found.text if found else None, line=line, range=found)
