"""Reading a target's parameters one by one, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from socialvalue.domain import bounds
from socialvalue.domain.bounds import NumberRule
from socialvalue.domain.periods import FINANCIAL_YEAR_HINT, FinancialYear
from socialvalue.domain.targets.base import (
    ALLOWED_ACCUMULATION,
    DEFAULT_ACCUMULATION,
    Comparison,
    TargetKind,
)
from socialvalue.domain.timing import Accumulation, Timing

_MISSING = object()
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Reader:
    """Reads parameters one by one, collecting problems instead of stopping at the first."""

    def __init__(self, params: Mapping[str, object], *, prefix: str = "") -> None:
        self.params = params
        self.prefix = prefix
        self.problems: list[tuple[str, str]] = []
        self.seen: set[str] = set()

    def field(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def problem(self, name: str, message: str) -> None:
        self.problems.append((self.field(name), message))

    def raw(self, name: str) -> object:
        self.seen.add(name)
        value = self.params.get(name, _MISSING)
        # A blank form field or a YAML `~` means "not given".
        if value is None or (isinstance(value, str) and not value.strip()):
            return _MISSING
        return value

    def number(
        self,
        name: str,
        *,
        what: str,
        required: bool,
        rule: NumberRule = bounds.AMOUNT,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        above_minimum: bool = False,
    ) -> Decimal | None:
        """A number within `rule` (bounds.py: range and decimal places), or None.

        `minimum`, `maximum` and `above_minimum` narrow the rule's range, never widen it.
        """
        if minimum is not None or maximum is not None or above_minimum:
            rule = replace(
                rule,
                minimum=rule.minimum if minimum is None else max(minimum, rule.minimum),
                maximum=rule.maximum if maximum is None else min(maximum, rule.maximum),
                above_minimum=above_minimum or rule.above_minimum,
            )
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}")
            return None
        number = _to_decimal(value)
        if number is None:
            self.problem(name, f"Enter {what} as a number, like 5")
            return None
        if problem := rule.problem(number):
            self.problem(name, f"{_capitalise(_strip_article(what))} {problem}")
            return None
        return number

    def year(self, name: str, *, what: str, required: bool) -> FinancialYear | None:
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}, like 2023/24")
            return None
        if isinstance(value, FinancialYear):
            if value.in_range:
                return value
            self.problem(name, bounds.YEAR_RANGE_MESSAGE)
            return None
        if not isinstance(value, str):
            self.problem(name, FINANCIAL_YEAR_HINT)
            return None
        try:
            return FinancialYear.parse(value)
        except ValueError as error:
            self.problem(name, str(error))
            return None

    def choice[E: StrEnum](
        self, name: str, enum: type[E], *, allowed: tuple[E, ...], default: E
    ) -> E:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if isinstance(value, str) and value.strip() in {choice.value for choice in allowed}:
            return enum(value.strip())
        options = _join_or([choice.value for choice in allowed])
        self.problem(name, f"{_capitalise(name.replace('_', ' '))} must be {options}")
        return default

    def text(self, name: str, *, what: str, required: bool) -> str:
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}")
            return ""
        if not isinstance(value, str):
            self.problem(name, f"Enter {what} as text")
            return ""
        return value.strip()

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            return value
        self.problem(name, f"{_capitalise(name)} must be true or false")
        return default

    def date(self, name: str, *, what: str) -> date | None:
        value = self.raw(name)
        if value is _MISSING:
            return None
        day: date | None = None
        if isinstance(value, date):
            day = value
        elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                self.problem(name, f"Enter {what} that exists, like 2024-03-31")
                return None
        if day is None:
            self.problem(name, f"Enter {what} like 2024-03-31")
            return None
        if problem := bounds.date_problem(day):
            self.problem(name, f"{_capitalise(_strip_article(what))} {problem}")
            return None
        return day

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for key in self.params:
            if key not in allowed:
                names = ", ".join(allowed) if allowed else "no parameters"
                self.problems.append(
                    (self.field(str(key)), f'Remove "{key}": this target takes {names}')
                )


_to_decimal = bounds.read_decimal


def _strip_article(text: str) -> str:
    for article in ("a ", "an ", "the "):
        if text.startswith(article):
            return text[len(article) :]
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_or(pieces: list[str]) -> str:
    if len(pieces) <= 1:
        return "".join(pieces)
    return f"{', '.join(pieces[:-1])} or {pieces[-1]}"


_GOAL_KEYS = ("comparison", "lower", "upper", "baseline_period", "baseline_value")
_TIMING_KEYS = ("start_year", "due_year", "due_until", "trajectory", "accumulation")
_COMPARISONS = (
    Comparison.AT_LEAST,
    Comparison.MORE_THAN,
    Comparison.AT_MOST,
    Comparison.LESS_THAN,
    Comparison.BETWEEN,
)


def _read_accumulation(r: _Reader, kind: TargetKind) -> Accumulation:
    return r.choice(
        "accumulation",
        Accumulation,
        allowed=ALLOWED_ACCUMULATION[kind],
        default=DEFAULT_ACCUMULATION[kind],
    )


def _read_timing(r: _Reader, *, cumulative: bool, baseline_period: FinancialYear | None) -> Timing:
    """The years of a target: start, due year or window, the lead's trajectory."""
    start = r.year("start_year", what="the year the target starts", required=False)
    due = r.year("due_year", what="the year the target is due", required=False)
    until = r.year("due_until", what="the last year of the due window", required=False)
    if until is not None and due is None:
        r.problem("due_until", "Enter the first year of the window as due_year too")
    if until is not None and due is not None and until <= due:
        r.problem("due_until", f"The window must end after {due.label}, the year it opens")
    if start is not None and due is not None and due < start:
        r.problem("due_year", f"The due year must not be before the start, {start.label}")
    if cumulative and start is None:
        r.problem("start_year", "Enter the year a cumulative target starts counting from")
    for name, year in (("start_year", start), ("due_year", due)):
        if baseline_period is not None and year is not None and year <= baseline_period:
            r.problem(name, f"The year must be after the {baseline_period.label} baseline")
    trajectory: list[tuple[FinancialYear, Decimal]] = []
    raw = r.raw("trajectory")
    if raw is not _MISSING:
        if not isinstance(raw, Mapping) or not raw:
            r.problem(
                "trajectory", "Enter the trajectory as years with a figure, like 2024/25: 300"
            )
        elif due is None:
            r.problem("trajectory", "Enter a due year for the trajectory to lead to")
        else:
            sub = _Reader({str(k): v for k, v in raw.items()}, prefix=f"{r.prefix}trajectory.")
            for key in raw:
                try:
                    year = FinancialYear.parse(str(key))
                except ValueError as error:
                    sub.problem(str(key), str(error))
                    continue
                if not year < due or (start is not None and year < start):
                    sub.problem(
                        str(key), "A trajectory year must be from the start to before the due year"
                    )
                    continue
                value = sub.number(str(key), what="a figure for the year", required=True)
                if value is not None:
                    trajectory.append((year, value))
            r.problems.extend(sub.problems)
    return Timing(
        start_year=start,
        due_year=due,
        due_until=until,
        cumulative=cumulative,
        trajectory=tuple(sorted(trajectory)),
    )


def _read_goal_numbers(
    r: _Reader, name: str, *, what: str, rule: NumberRule
) -> tuple[Comparison, Decimal | None, Decimal | None, Decimal | None]:
    """A comparison and its number: `name` for at least, more than, at most and less than;
    `lower` and `upper` for between."""
    comparison = r.choice(
        "comparison", Comparison, allowed=_COMPARISONS, default=Comparison.AT_LEAST
    )
    if comparison is Comparison.BETWEEN:
        lower = r.number("lower", what="the lowest figure", required=True, rule=rule)
        upper = r.number("upper", what="the highest figure", required=True, rule=rule)
        if lower is not None and upper is not None and lower >= upper:
            r.problem("lower", "Lower must be less than upper")
        if r.raw(name) is not _MISSING:
            r.problem(name, f"Remove {name}: a target between two figures takes lower and upper")
        return comparison, None, lower, upper
    value = r.number(name, what=what, required=True, rule=rule)
    for extra in ("lower", "upper"):
        if r.raw(extra) is not _MISSING:
            r.problem(extra, f"Remove {extra}: it is only for a comparison of between")
    return comparison, value, None, None


def _read_baseline(r: _Reader, *, rule: NumberRule) -> tuple[FinancialYear | None, Decimal | None]:
    period = r.year("baseline_period", what="a baseline year", required=False)
    value = r.number("baseline_value", what="a baseline value", required=False, rule=rule)
    if value is not None and period is None:
        r.problem("baseline_value", "Enter the baseline year too")
    return period, value


def _read_parts(
    r: _Reader, *, minimum: int, read_one: Callable[[_Reader], object | None]
) -> list[object] | None:
    raw = r.raw("parts")
    if raw is _MISSING:
        r.problem(
            "parts", f"Enter at least {_count_word(minimum)} {'part' if minimum == 1 else 'parts'}"
        )
        return None
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, list | tuple):
        r.problem("parts", "Enter the parts as a list")
        return None
    if len(raw) < minimum:
        r.problem(
            "parts", f"Enter at least {_count_word(minimum)} {'part' if minimum == 1 else 'parts'}"
        )
    parts: list[object] = []
    keys: set[str] = set()
    ok = True
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            r.problem(f"parts[{index}]", "Enter each part with a key and a label")
            ok = False
            continue
        sub = _Reader(item, prefix=f"{r.prefix}parts[{index}].")
        part = read_one(sub)
        r.problems.extend(sub.problems)
        key = item.get("key")
        if isinstance(key, str) and key.strip():
            if key.strip() in keys:
                r.problem(f"parts[{index}].key", f'Use a different key: "{key.strip()}" is taken')
                ok = False
            keys.add(key.strip())
        if part is None or sub.problems:
            ok = False
        else:
            parts.append(part)
    return parts if ok and len(raw) >= minimum else None


def _count_word(n: int) -> str:
    return {1: "one", 2: "two"}.get(n, str(n))


_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


def _read_key(r: _Reader) -> str:
    key = r.text("key", what="a key", required=True)
    if key and not _KEY_PATTERN.match(key):
        r.problem("key", "Key must use only letters, numbers, hyphens and underscores")
    return key


def _read_rate(r: _Reader, *, required: bool, rule: NumberRule) -> Decimal | None:
    return r.number("rate_percent", what="a rate", required=required, rule=rule)
