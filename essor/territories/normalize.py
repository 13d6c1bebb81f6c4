"""Name normalisation for search: accents, case, hyphens, apostrophes and saint abbreviations do not matter.

    >>> normalize_name("Saint-Étienne") == normalize_name("ST-ETIENNE") == normalize_name("saint etienne")
    True

The same function fills the `search_name` fields at load time and normalises queries.
"""

import re
import unicodedata

# Ligatures that Unicode decomposition does not split (Cœur, Lætitia).
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Whole-word abbreviations of saint / sainte, as written in addresses and by hurried users.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_name(text: str) -> str:
    """Lower case ASCII words separated by one space; `st`/`ste` spelled out."""
    words = _NON_ALNUM.sub(" ", strip_accents(text or "").lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


# Generic words of EPCI names, so that "Toulouse Métropole" or "CA du Grand Narbonne" match on their core.
_EPCI_PREFIX = re.compile(
    r"^(?:(?:euro)?metropole(?: europeenne)?|communaute (?:urbaine|d agglomeration|de communes)|ca|cc|cu|ept)"
    r"(?: (?:de la|de l|du|des|de|d))? "
)
_EPCI_SUFFIX = re.compile(r" (?:metropole|agglomeration|agglo|communaute)$")


def core_epci_name(search_name: str) -> str:
    """A normalised EPCI name without its generic words ("toulouse metropole" -> "toulouse")."""
    return _EPCI_SUFFIX.sub("", _EPCI_PREFIX.sub("", search_name))
