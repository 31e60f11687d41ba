"""Relative likelihood (the WRES and WDES disparity ratio), worked out from its four counts.

(events_a / population_a) / (events_b / population_b). A comparison group (B) whose rate is 0
while group A's is not has no ratio to publish, but it is as far outside any band as a ratio
can be: `zero_comparison_rate` says so, and the status engine treats the part as outside.
"""

from __future__ import annotations

from decimal import Decimal

from socialvalue.domain.numbers import format_number

__all__ = ["relative_likelihood", "zero_comparison_rate"]


def _valid(events: Decimal, population: Decimal) -> bool:
    return population > 0 and 0 <= events <= population


def relative_likelihood(
    *,
    events_a: Decimal,
    population_a: Decimal,
    events_b: Decimal,
    population_b: Decimal,
    group_a: str = "group A",
    group_b: str = "group B",
) -> tuple[Decimal | None, str]:
    """(events_a / population_a) / (events_b / population_b), or None and the reason why not."""
    for events, population, group in (
        (events_a, population_a, group_a),
        (events_b, population_b, group_b),
    ):
        if population <= 0:
            return None, f"no ratio: no {group} counted"
        if events < 0 or events > population:
            return None, f"no ratio: {format_number(events)} of {format_number(population)} {group}"
    if events_b == 0 and events_a == 0:
        return None, (
            f"no ratio: the rates for {group_a} and {group_b} are both 0 "
            f"(0 of {format_number(population_a)} {group_a}, "
            f"0 of {format_number(population_b)} {group_b})"
        )
    if events_b == 0:
        return None, (
            f"no ratio: rate for {group_b} is 0 (0 of {format_number(population_b)} {group_b}, "
            f"against {format_number(events_a)} of {format_number(population_a)} {group_a})"
        )
    return (events_a / population_a) / (events_b / population_b), ""


def zero_comparison_rate(
    *, events_a: Decimal, population_a: Decimal, events_b: Decimal, population_b: Decimal
) -> bool:
    """Whether group B's rate is 0 while group A's is not: the ratio is unbounded, so it lies
    outside any band (both rates 0 says nothing about a disparity, so that is not outside)."""
    return (
        _valid(events_a, population_a)
        and _valid(events_b, population_b)
        and events_b == 0
        and events_a > 0
    )
