"""The condition language of questionnaires: a small, whitelisted subset of XLSForm expressions.

Used by the `relevant` (show a question or a page only when…) and `constraint` (the answer must satisfy…) columns:

    ${budget} > 0 and ${framework} = 'oui'
    selected(${levers}, 'scic') or count-selected(${levers}) >= 3
    not(${has_plan} = 'non')
    . >= 0 and . <= 100            ("." is the answer being checked, in constraints)

Grammar (nothing else is accepted; the text is parsed into a tree and evaluated here, never by `eval`):

    expr    := and ("or" and)*
    and     := cmp ("and" cmp)*
    cmp     := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum     := atom (("+" | "-") atom)*
    atom    := "${" name "}" | "." | string | number | func "(" [expr ("," expr)*] ")" | "(" expr ")"
    func    := not | selected | count-selected | string-length | true | false

Values are what XLSForm uses: a missing answer is the empty string, a multiple choice is its values joined by
spaces. Two values compare as numbers when both read as numbers, otherwise as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_LENGTH = 1000

TOKEN = re.compile(
    r"""\s*(?:
    (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\(|\)|,)
  | (?P<name>[A-Za-z][A-Za-z-]*)
  | (?P<dot>\.)
)""",
    re.VERBOSE,
)
FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1, "true": 0, "false": 0}
KEYWORDS = {"and", "or"}
COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}


class ConditionError(ValueError):
    """The text is not a valid condition (the message says where)."""


@dataclass(frozen=True)
class Node:
    kind: str  # "ref", "dot", "literal", "call", "binary"
    value: object = None
    children: tuple = ()


def tokenize(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"Condition longer than {MAX_LENGTH} characters.")
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ConditionError(
                f"Unexpected character {text[position:].strip()[:1]!r} at position {position + 1}."
            )
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "name" and value in KEYWORDS:
            kind = "keyword"
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            wanted = value or kind or "more"
            found = token[1] if token[0] else "the end"
            raise ConditionError(f"Expected {wanted!r} but found {found!r} in {self.text!r}.")
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError("Empty condition.")
        node = self.expr()
        if self.index != len(self.tokens):
            raise ConditionError(f"Unexpected {self.peek()[1]!r} in {self.text!r}.")
        return node

    def expr(self) -> Node:
        node = self.conjunction()
        while self.peek() == ("keyword", "or"):
            self.take()
            node = Node("binary", "or", (node, self.conjunction()))
        return node

    def conjunction(self) -> Node:
        node = self.comparison()
        while self.peek() == ("keyword", "and"):
            self.take()
            node = Node("binary", "and", (node, self.comparison()))
        return node

    def comparison(self) -> Node:
        node = self.sum()
        kind, value = self.peek()
        if kind == "op" and value in COMPARISONS:
            self.take()
            node = Node("binary", value, (node, self.sum()))
        return node

    def sum(self) -> Node:
        node = self.atom()
        while self.peek() in (("op", "+"), ("op", "-")):
            _kind, value = self.take()
            node = Node("binary", value, (node, self.atom()))
        return node

    def atom(self) -> Node:
        kind, value = self.peek()
        if kind == "ref":
            self.take()
            return Node("ref", value[2:-1])
        if kind == "dot":
            self.take()
            return Node("dot")
        if kind == "number":
            self.take()
            return Node("literal", float(value))
        if kind == "string":
            self.take()
            return Node("literal", value[1:-1])
        if kind == "op" and value == "(":
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        if kind == "name":
            if value not in FUNCTIONS:
                raise ConditionError(f"Unknown function {value!r} (allowed: {', '.join(sorted(FUNCTIONS))}).")
            self.take()
            self.take("op", "(")
            arguments = []
            if self.peek() != ("op", ")"):
                arguments.append(self.expr())
                while self.peek() == ("op", ","):
                    self.take()
                    arguments.append(self.expr())
            self.take("op", ")")
            if len(arguments) != FUNCTIONS[value]:
                raise ConditionError(f"{value}() takes {FUNCTIONS[value]} argument(s), not {len(arguments)}.")
            return Node("call", value, tuple(arguments))
        found = value if kind else "the end"
        raise ConditionError(f"Expected a value but found {found!r} in {self.text!r}.")


def parse(text: str) -> Node:
    return _Parser(text).parse()


def references(node: Node) -> set[str]:
    """The question codes a condition reads (`${code}`)."""
    if node.kind == "ref":
        return {node.value}
    found = set()
    for child in node.children:
        found |= references(child)
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(_text(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(_text(value).replace(",", "."))
    except ValueError:
        return None


def _compare(operator: str, left, right) -> bool:
    a, b = _number(left), _number(right)
    if a is None or b is None or _text(left) == "" or _text(right) == "":
        a, b = _text(left), _text(right)
    return {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[operator]


def _truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return _text(value) != ""


def evaluate(node: Node, answers: Mapping[str, object], current=None):
    if node.kind == "ref":
        return answers.get(node.value)
    if node.kind == "dot":
        return current
    if node.kind == "literal":
        return node.value
    if node.kind == "call":
        name, args = node.value, node.children
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "not":
            return not _truthy(evaluate(args[0], answers, current))
        if name == "selected":
            return (
                _text(evaluate(args[1], answers, current))
                in _text(evaluate(args[0], answers, current)).split()
            )
        if name == "count-selected":
            return len(_text(evaluate(args[0], answers, current)).split())
        if name == "string-length":
            return len(_text(evaluate(args[0], answers, current)))
    operator, (left, right) = node.value, node.children
    if operator == "or":
        return _truthy(evaluate(left, answers, current)) or _truthy(evaluate(right, answers, current))
    if operator == "and":
        return _truthy(evaluate(left, answers, current)) and _truthy(evaluate(right, answers, current))
    a, b = evaluate(left, answers, current), evaluate(right, answers, current)
    if operator in ("+", "-"):
        x, y = _number(a) or 0.0, _number(b) or 0.0
        return x + y if operator == "+" else x - y
    return _compare(operator, a, b)


def holds(text: str, answers: Mapping[str, object], current=None) -> bool:
    """Whether the condition holds; an empty condition always does."""
    if not text or not text.strip():
        return True
    return _truthy(evaluate(parse(text), answers, current))
