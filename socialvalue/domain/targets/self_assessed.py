"""Self-assessed targets: maintain or deliver, or a direction with no number yet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain.numbers import (
    to_json_number,
)
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets.base import (
    Comparison,
    Direction,
    Goal,
    TargetKind,
)
from socialvalue.domain.targets.parsing import (
    _MISSING,
    _Reader,
)
from socialvalue.domain.wording import (
    limit_phrase,
)


@dataclass(frozen=True)
class MaintainTarget:
    """Judged on evidence and a self-assessed status; `level`, when set, is a floor."""

    kind: ClassVar[TargetKind] = TargetKind.MAINTAIN
    description: str = ""
    level: Decimal | None = None

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if self.level is None:
            return None
        return Goal(Comparison.AT_LEAST, value=self.level)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        level = limit_phrase("at_least", self.level, unit) if self.level is not None else ""
        if self.description and level:
            return f"{self.description} ({level})"
        if self.description:
            return self.description
        if level:
            return f"Maintain {level}"
        return "Maintain or deliver, with evidence"

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.description:
            params["description"] = self.description
        if self.level is not None:
            params["level"] = to_json_number(self.level)
        return params


@dataclass(frozen=True)
class DirectionTarget:
    kind: ClassVar[TargetKind] = TargetKind.DIRECTION
    direction: Direction

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> None:
        return None

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        return f"{self.direction.label} (no number set yet)"

    def to_params(self) -> dict[str, object]:
        return {"direction": self.direction.value}


def _parse_maintain(r: _Reader) -> MaintainTarget | None:
    r.unknown(("description", "level"))
    description = r.text("description", what="a description", required=False)
    level = r.number("level", what="a level", required=False)
    if r.problems:
        return None
    return MaintainTarget(description=description, level=level)


def _parse_direction(r: _Reader) -> DirectionTarget | None:
    r.unknown(("direction",))
    if r.raw("direction") is _MISSING:
        r.problem("direction", "Select a direction: increase, decrease, maintain or deliver")
        return None
    direction = r.choice(
        "direction", Direction, allowed=tuple(Direction), default=Direction.INCREASE
    )
    if r.problems:
        return None
    return DirectionTarget(direction=direction)
