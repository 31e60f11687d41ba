"""Disparity ratios within a band: each part's relative likelihood between two groups."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain import bounds
from socialvalue.domain.numbers import (
    format_number,
    to_json_number,
)
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets.base import (
    Comparison,
    Goal,
    TargetKind,
)
from socialvalue.domain.targets.parsing import (
    _read_key,
    _read_parts,
    _Reader,
)


@dataclass(frozen=True)
class RatioPart:
    """One ratio: group A's rate ÷ group B's rate (e.g. White ÷ BME appointed from shortlist)."""

    key: str
    label: str
    group_a: str
    group_b: str


@dataclass(frozen=True)
class RatioBandTarget:
    kind: ClassVar[TargetKind] = TargetKind.RATIO_BAND
    lower: Decimal
    upper: Decimal
    parts: tuple[RatioPart, ...]

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal:
        return Goal(Comparison.BETWEEN, lower=self.lower, upper=self.upper)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        return f"Ratio between {format_number(self.lower)} and {format_number(self.upper)}"

    def to_params(self) -> dict[str, object]:
        return {
            "lower": to_json_number(self.lower),
            "upper": to_json_number(self.upper),
            "parts": [
                {
                    "key": part.key,
                    "label": part.label,
                    "group_a": part.group_a,
                    "group_b": part.group_b,
                }
                for part in self.parts
            ],
        }


def _read_ratio_part(r: _Reader) -> RatioPart | None:
    r.unknown(("key", "label", "group_a", "group_b"))
    key = _read_key(r)
    label = r.text("label", what="a label", required=True)
    group_a = r.text("group_a", what="the name of group A", required=True)
    group_b = r.text("group_b", what="the name of group B", required=True)
    if not (key and label and group_a and group_b):
        return None
    return RatioPart(key=key, label=label, group_a=group_a, group_b=group_b)


def _parse_ratio_band(r: _Reader) -> RatioBandTarget | None:
    r.unknown(("lower", "upper", "parts"))
    lower = r.number("lower", what="a lower limit", required=True, rule=bounds.RATIO)
    upper = r.number("upper", what="an upper limit", required=True, rule=bounds.RATIO)
    if lower is not None and upper is not None and lower >= upper:
        r.problem("lower", "Lower must be less than upper")
    parts = _read_parts(r, minimum=1, read_one=_read_ratio_part)
    if lower is None or upper is None or parts is None or r.problems:
        return None
    return RatioBandTarget(lower=lower, upper=upper, parts=tuple(parts))  # type: ignore[arg-type]
