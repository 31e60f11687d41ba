"""What a charter file holds: the format's names, the frozen specs a file reads into, the
problems reading reports, and the published JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from socialvalue.domain.periods import Frequency
from socialvalue.domain.targets import Target

__all__ = [
    "FORMAT",
    "ROOT_FIELD",
    "SCHEMA_ID",
    "SYNTAX_FIELD",
    "CharterFileError",
    "CharterSpec",
    "FileProblem",
    "IndicatorSource",
    "IndicatorSpec",
    "PledgeSpec",
    "ThemeSpec",
    "charter_schema",
    "iter_indicators",
]

FORMAT = "socialvalue-charter/1"
SCHEMA_ID = "https://socialvalue.example/schemas/charter-1.json"
SCHEMA_RESOURCE = "charter.schema.json"

# Field names for problems that belong to no key: a YAML syntax error, or the file as a whole.
SYNTAX_FIELD = "(yaml)"
ROOT_FIELD = "(file)"


class IndicatorSource(StrEnum):
    MANUAL = "manual"  # entered by people
    COMPUTED = "computed"  # filled by an import (spend, carbon, WRES/WDES files…)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    title: str
    unit: str
    frequency: Frequency
    source: IndicatorSource
    target: Target
    description: str = ""
    owner: str = ""
    method: str = ""
    # The named computation a computed indicator's values come from (domain/computations.py).
    computation: str = ""
    # The year the indicator applies from, written 2024/25; "" for the charter's first year.
    applies_from: str = ""


@dataclass(frozen=True)
class PledgeSpec:
    code: str
    text: str
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    title: str
    pledges: tuple[PledgeSpec, ...]
    social_value_model: tuple[str, ...] = ()
    net_zero: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class CharterSpec:
    code: str
    title: str
    organisation: str
    periods: tuple[str, ...]
    themes: tuple[ThemeSpec, ...]
    definition: str = ""
    mission: str = ""
    source: str = ""
    # {"at_risk": Decimal, "off_track": Decimal}, or None for the application's defaults.
    thresholds: Mapping[str, Decimal] | None = field(default=None)


def iter_indicators(spec: CharterSpec) -> Iterable[tuple[ThemeSpec, PledgeSpec, IndicatorSpec]]:
    """Every indicator with its theme and pledge, in file order."""
    for theme in spec.themes:
        for pledge in theme.pledges:
            for indicator in pledge.indicators:
                yield theme, pledge, indicator


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class CharterFileError(ValueError):
    """Every problem found in a charter file, in line order."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@cache
def charter_schema() -> dict[str, Any]:
    """The published JSON Schema of the format (a copy ships in the package)."""
    text = resources.files("socialvalue.domain").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
