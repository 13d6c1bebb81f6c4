"""What every app's API declares the same way: the error body, the bounds of paging and of free text, choices.

Bounds are pydantic constraints, so they are both checked (a wrong value is the API's 400 `invalid_parameters`,
never a 500 from the database) and published in the OpenAPI schema (`minimum`, `maximum`, `maxLength`, `enum`).
"""

from typing import Any, Literal

from ninja import Field, Schema

# Far past any listing of the API (the national directory has ~40,000 rows), and small enough that
# (page - 1) * page_size stays an SQL integer: a 20-digit page made SQLite fail with a 500.
MAX_PAGE = 100_000
MAX_TEXT = 200  # free-text search parameters (`q`): longer text is no query anyone types


class ErrorBody(Schema):
    code: str = Field(description="Machine-readable error code.", examples=["invalid_parameters"])
    message: str = Field(description="What is wrong, in English.")
    details: Any = Field(
        None,
        description="When given: one entry per wrong parameter (field and message), or the limit's figures.",
    )


class ErrorOut(Schema):
    """The API's one error format (essor.core.errors)."""

    error: ErrorBody


def page_field() -> Any:
    return Field(1, ge=1, le=MAX_PAGE, description=f"Page number, from 1 (at most {MAX_PAGE:,}).")


def page_size_field(default: int, maximum: int) -> Any:
    return Field(default, ge=1, le=maximum, description=f"Results per page, 1 to {maximum}.")


def text_field(description: str = "Free-text search.") -> Any:
    return Field("", max_length=MAX_TEXT, description=f"{description} At most {MAX_TEXT} characters.")


def one_of(values, *, blank: bool = True) -> Any:
    """A type accepting exactly `values` (and "" for "no filter" when `blank`), published as an enum."""
    choices = ("",) * blank + tuple(str(value) for value in values)
    return Literal[choices]


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """Error responses of an operation, to merge into `response={200: ..., **errors(400, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)
