"""What every workforce and carbon reader returns: rows or problems, never both.

`Reading.rows` is empty whenever there is a problem (imports are all-or-nothing); `notes` says
what was read or left aside on purpose (sheets not used, rows not counted), for the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from socialvalue.domain.tables import MAX_PROBLEMS, Problem, normalise
from socialvalue.domain.workforce import Characteristic

__all__ = ["Reading", "classify_group", "done"]


@dataclass(frozen=True)
class Reading[T]:
    file: str
    rows: tuple[T, ...] = ()
    problems: tuple[Problem, ...] = ()
    problems_left_out: int = 0
    rows_read: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    layout: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def done[T](
    file: str,
    rows: Sequence[T],
    problems: Sequence[Problem],
    *,
    rows_read: int,
    notes: tuple[str, ...] = (),
    layout: str = "",
) -> Reading[T]:
    """All or nothing: the rows only when nothing is wrong; problems listed up to a limit."""
    listed = tuple(problems[:MAX_PROBLEMS])
    return Reading(
        file=file,
        rows=() if problems else tuple(rows),
        problems=listed,
        problems_left_out=max(0, len(problems) - MAX_PROBLEMS),
        rows_read=rows_read,
        notes=notes,
        layout=layout,
    )


NOT_STATED = {
    "",
    "not stated",
    "unknown",
    "not known",
    "null",
    "unknown/null",
    "prefer not to say",
    "prefer not to answer",
    "not declared",
    "undeclared",
    "not disclosed",
    "undisclosed",
    "unspecified",
    "ethnicity unknown/null",
    "ethnicity unknown",
    "disability unknown/null",
    "disability unknown",
    "i do not wish to disclose",
    "i do not wish to disclose my ethnic origin",
    "i do not wish to disclose whether i have a disability",
    "z not stated",
}
_WHITE_PREFIXES = ("white",)
_MINORITY_NAMES = {
    "bme",
    "bame",
    "black and minority ethnic",
    "black asian and minority ethnic",
    "ethnic minority",
    "ethnic minorities",
    "minority ethnic",
    "global majority",
}
_DISABLED = {
    "disabled",
    "yes",
    "y",
    "disabled staff",
    "staff with a ltc or illness",
    "with a long term condition or illness",
    "has a disability",
}
_NON_DISABLED = {
    "non disabled",
    "not disabled",
    "no",
    "n",
    "non disabled staff",
    "staff without a ltc or illness",
    "without a long term condition or illness",
    "no disability",
}


def classify_group(text: object, characteristic: Characteristic) -> str | None:
    """ "reference", "comparison" or "not_stated" for a group as written, or None if unknown.

    Ethnicity: "White", "White - British", "A White - British" (ESR's letter prefix) are White;
    "BME" and its synonyms, and any other stated ethnic group ("Asian or Asian British -
    Indian", "Mixed - White and Black Caribbean"), are the comparison group.
    """
    cleaned = normalise(text)
    if cleaned in NOT_STATED:
        return "not_stated"
    if characteristic is Characteristic.ETHNICITY:
        parts = cleaned.split(" ", 1)
        # ESR codes ethnic groups as a letter then the name: "A White - British".
        if len(parts) == 2 and len(parts[0]) == 1 and parts[0].isalpha():
            cleaned = parts[1]
        if cleaned in NOT_STATED:
            return "not_stated"
        if cleaned.startswith(_WHITE_PREFIXES):
            return "reference"
        if cleaned in _MINORITY_NAMES or any(
            cleaned.startswith(p)
            for p in ("asian", "black", "mixed", "chinese", "other", "any other", "arab")
        ):
            return "comparison"
        return None
    if cleaned in _DISABLED:
        return "comparison"
    if cleaned in _NON_DISABLED:
        return "reference"
    return None


def to_percent(value: object) -> Decimal | None:
    """A percentage from 0 to 100 in a cell: 46.99 or "46.99%"."""
    from socialvalue.domain.tables import to_decimal

    if isinstance(value, str) and value.strip().endswith("%"):
        return to_decimal(value.strip()[:-1])
    return to_decimal(value)
