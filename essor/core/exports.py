"""The one rule for what an export cell may contain (CSV and XLSX alike): never a live formula.

A spreadsheet runs any cell starting with =, +, -, @ (or a tab / carriage return before them) as a formula:
`=HYPERLINK("http://evil", "click")` in an establishment's name would become a link in the user's sheet. Such text
gets a leading apostrophe (OWASP's "CSV injection" advice), which spreadsheets show as plain text. Numbers, and text
that is only a number ("-3,5", "-12 %"), are left alone so that figures stay figures.
Characters XML forbids (control characters) are dropped: openpyxl would refuse the whole XLSX over one of them.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[-+]?[\d\s\u202f\u00a0.,]*\d[\d\s\u202f\u00a0.,]*\s?%?$")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """The value to write in an export cell: None -> "", formula-like text neutralised, anything else unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if value.lstrip(" ").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value
