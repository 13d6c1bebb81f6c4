"""Accent-insensitive French full-text search on a normalised search column.

Each searchable row keeps `search_text`: its texts lower-cased, without accents or punctuation ("Économie" ->
"economie", "cœur" -> "coeur"). A query is normalised the same way, French stop words are dropped and a final plural
`s`/`x` is removed, and every remaining term must appear (AND). Plain `LIKE` containment, so the same code runs on
SQLite and PostgreSQL; the catalogue is small (hundreds of rows), far below where an index would matter.
"""

import re
import unicodedata

from django.db.models import Q, QuerySet

LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'"})
NON_WORD = re.compile(r"[^0-9a-z]+")
STOP_WORDS = frozenset(
    "a au aux avec d dans de des du en et l la le les leur par pour sur un une ou the of and in for to on".split()
)
MAX_TERMS = 8


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    text = (text or "").translate(LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return NON_WORD.sub(" ", text).strip()


def search_document(*texts: str) -> str:
    """The value stored in a row's `search_text`, with spaces around so terms can be matched at word starts."""
    return " " + " ".join(part for part in (normalise(t) for t in texts) if part) + " "


def _stem(term: str) -> str:
    if len(term) > 4 and term[-1] in "sx":
        return term[:-1]
    return term


def query_terms(query: str) -> list[str]:
    """The terms a query looks for: normalised, without stop words, singular; at most MAX_TERMS."""
    terms = [_stem(t) for t in normalise(query).split() if t not in STOP_WORDS]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def apply_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows whose search_text holds every term of the query, each at the start of a word."""
    for term in query_terms(query):
        queryset = queryset.filter(Q(search_text__contains=" " + term))
    return queryset
