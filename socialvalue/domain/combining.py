"""Combining recorded figures: the periods of a year, or the members of a group.

Values are summed; numerators and denominators summed, then divided (never an average of
ratios), part by part for a benchmark with parts; the four counts of a disparity summed per
part and the ratio recomputed; each
member's latest milestone state or self-assessment, the least favourable standing for a group
(docs/targets.md, docs/status.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from socialvalue.domain.disparity import relative_likelihood, zero_comparison_rate
from socialvalue.domain.periods import Period
from socialvalue.domain.shapes import DISPARITY_COUNTS, SHARE_KEYS, Shape, shape_for
from socialvalue.domain.statuses import MilestoneState, Status
from socialvalue.domain.targets import (
    CountsTarget,
    IncreaseOnBenchmarkTarget,
    Measure,
    RatioBandTarget,
    Target,
    TargetKind,
    accumulation_of,
    shape_of,
)
from socialvalue.domain.timing import Accumulation

__all__ = [
    "MILESTONE_PROGRESS",
    "RATIO_KEYS",
    "SMALL_COUNT",
    "Actual",
    "Observation",
    "PartActual",
    "combine",
    "has_data",
    "is_number",
    "rollup",
]

HUNDRED = Decimal(100)
# REFERENCE.md section 3: ratios built on fewer people than this are flagged as unstable.
SMALL_COUNT = Decimal(10)
RATIO_KEYS = DISPARITY_COUNTS


@dataclass(frozen=True)
class Observation:
    """One recorded figure for one period (the current value of an append-only record).

    `member` names the organisation that recorded it when a group's figures are rolled up
    ("" for the organisation whose charter it is)."""

    period: Period
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[str, Decimal | Mapping[str, Decimal]] = field(default_factory=dict)
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""
    member: str = ""


@dataclass(frozen=True)
class PartActual:
    """One part's combined figures: a count, a share (its numerator and denominator, with
    `value` the percentage), or the four counts of a disparity ratio."""

    key: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    events_a: Decimal | None = None
    population_a: Decimal | None = None
    events_b: Decimal | None = None
    population_b: Decimal | None = None
    ratio: Decimal | None = None
    reason: str = ""
    unstable: bool = False
    # Group B's rate is 0 and group A's is not: no ratio, but outside any band.
    outside: bool = False


@dataclass(frozen=True)
class Actual:
    """The figures of several periods (or members) combined according to the target kind.

    `value` is the headline number: the sum for cumulative kinds, the percentage for shares,
    the latest value for a benchmark on a value. `ratio` is numerator / denominator.
    """

    kind: TargetKind
    periods: tuple[Period, ...] = ()
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    ratio: Decimal | None = None
    reason: str = ""
    parts: tuple[PartActual, ...] = ()
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""
    whole_numbers: bool = True

    @property
    def has_data(self) -> bool:
        return bool(self.periods)

    def part(self, key: str) -> PartActual | None:
        return next((part for part in self.parts if part.key == key), None)


def _latest(observations: Sequence[Observation]) -> Observation | None:
    if not observations:
        return None
    ordered = sorted(
        enumerate(observations), key=lambda pair: (pair[1].period.end, pair[1].period.start)
    )
    return ordered[-1][1]


def _latest_all(observations: Sequence[Observation]) -> list[Observation]:
    """Every observation of the latest period: several when a group's members all report it."""
    if not observations:
        return []
    key = max((o.period.end, o.period.start) for o in observations)
    return [o for o in observations if (o.period.end, o.period.start) == key]


MILESTONE_PROGRESS = {
    None: -1,
    MilestoneState.NOT_STARTED: 0,
    MilestoneState.IN_PROGRESS: 1,
    MilestoneState.DONE: 2,
}


def has_data(kind: TargetKind, observation: Observation, measure: Measure | None) -> bool:
    """Whether an observation says anything for the kind's reading shape (an increase on a
    benchmark without a measure reads a value)."""
    if kind is TargetKind.INCREASE_ON_BENCHMARK and measure is None:
        measure = Measure.VALUE
    return _shape(kind, measure).holds_data(observation)


def _shape(kind: TargetKind, measure: Measure | None) -> Shape:
    return shape_for(kind, measure=measure.value if measure is not None else None)


def is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def combine(
    kind: TargetKind | str | Target,
    observations: Sequence[Observation],
    *,
    measure: Measure | str | None = None,
) -> Actual:
    """Combine observations (periods of a year, or members of a group) into one `Actual`.

    `kind` may be a target, whose part labels and group names then appear in reasons and
    whose `measure` decides how a benchmark is read. Without a measure, a benchmark reads
    numerator and denominator when any observation has them.
    """
    target: Target | None = None
    if isinstance(kind, TargetKind | str):
        kind = TargetKind(kind)
    else:
        target, kind = kind, kind.kind
    if isinstance(target, IncreaseOnBenchmarkTarget):
        measure = target.measure
    if kind is TargetKind.INCREASE_ON_BENCHMARK and measure is None:
        has_share = any(o.numerator is not None for o in observations)
        measure = Measure.SHARE if has_share else Measure.VALUE
    measure = Measure(measure) if measure is not None else None

    shape = shape_of(target) if target is not None else _shape(kind, measure)
    used = [o for o in observations if shape.holds_data(o)]
    periods = tuple(sorted({o.period for o in used}))
    base = Actual(kind=kind, periods=periods)
    accumulation = accumulation_of(target) if target is not None else None
    if accumulation in (Accumulation.LATEST, Accumulation.DISTINCT):
        # A level or a running distinct total: each member's latest figure (added up for a
        # group), never the periods added up.
        used = _latest_levels(used)

    if shape is Shape.VALUE and kind.is_cumulative:
        values = [Decimal(o.value) for o in used if o.value is not None]
        if not values:
            return base
        return replace(base, value=sum(values, Decimal(0)), whole_numbers=_all_whole(values))

    if shape is Shape.PARTS and isinstance(target, IncreaseOnBenchmarkTarget):
        return _combine_levels(used, base, target)

    if shape is Shape.PARTS:
        return _combine_counts(used, base, target)

    if shape is Shape.SHARE_PARTS:
        return _combine_shares(used, base, target)

    if shape is Shape.SHARE:
        if not used:
            return base
        numerator = sum((Decimal(o.numerator or 0) for o in used), Decimal(0))
        denominator = sum((Decimal(o.denominator or 0) for o in used), Decimal(0))
        if denominator == 0:
            return replace(
                base,
                numerator=numerator,
                denominator=denominator,
                reason="no share: the total recorded is 0",
            )
        ratio = numerator / denominator
        return replace(
            base,
            value=ratio * HUNDRED,
            numerator=numerator,
            denominator=denominator,
            ratio=ratio,
            whole_numbers=False,
        )

    if shape is Shape.VALUE:
        # A value compared with a benchmark is a level: the latest period's stands for the
        # year, and a group adds up each member's latest (rule 9), as for the parts of a
        # benchmark (_combine_levels); one member's latest alone would stand for the group.
        values = [Decimal(o.value) for o in _latest_levels(used) if o.value is not None]
        if not values:
            return base
        return replace(base, value=sum(values, Decimal(0)), whole_numbers=_all_whole(values))

    if shape is Shape.DISPARITY:
        return _combine_ratios(used, base, target)

    # Milestones and self-assessments take each member's latest word (one organisation is one
    # member). Of several, the least favourable stands: a group's milestone is done only
    # when every member reporting says so, and one member at risk puts it at risk.
    each_latest = _each_latest(used)
    if not each_latest:
        return base
    if shape is Shape.MILESTONE:
        least = min(each_latest, key=lambda o: MILESTONE_PROGRESS[o.milestone_state])
        done_dates = [o.achieved_on for o in each_latest if o.achieved_on is not None]
        achieved_on = (
            max(done_dates, default=None)
            if least.milestone_state is MilestoneState.DONE
            else least.achieved_on
        )
        return replace(base, milestone_state=least.milestone_state, achieved_on=achieved_on)
    assessed = _each_latest([o for o in used if o.self_status is not None])
    pick = max(assessed, key=_self_severity) if assessed else None
    if pick is not None and pick.narrative.strip():
        narrative = pick.narrative.strip()
    else:
        with_narrative = _latest([o for o in used if o.narrative.strip()])
        narrative = with_narrative.narrative.strip() if with_narrative else ""
    return replace(
        base,
        self_status=pick.self_status if pick else None,
        narrative=narrative,
    )


def _self_severity(observation: Observation) -> int:
    return observation.self_status.severity if observation.self_status is not None else -1


def _each_latest(observations: Sequence[Observation]) -> list[Observation]:
    """Each member's observations for its own latest period."""
    members: dict[str, list[Observation]] = {}
    for observation in observations:
        members.setdefault(observation.member, []).append(observation)
    return [o for own in members.values() for o in _latest_all(own)]


def _latest_levels(observations: Sequence[Observation]) -> list[Observation]:
    """The figures a level adds up: each member's latest. A group's own figure (member "")
    is one for the whole group, counted only for periods no member recorded (rollup): it
    stands alone when it is later than every member's latest, and is left out otherwise,
    never added to its members' figures (that would count them twice)."""
    own = [o for o in observations if o.member == ""]
    members = [o for o in observations if o.member != ""]
    if not own or not members:
        return _each_latest(observations)
    own_latest, members_latest = _latest_all(own), _each_latest(members)
    own_end = max(o.period.end for o in own_latest)
    if own_end > max(o.period.end for o in members_latest):
        return own_latest
    return members_latest


def _all_whole(values: Sequence[Decimal]) -> bool:
    return all(_is_whole(v) for v in values)


def _combine_counts(used: Sequence[Observation], base: Actual, target: Target | None) -> Actual:
    keys = _part_keys(used, target)
    parts = []
    whole = True
    for key in keys:
        values = [Decimal(o.parts[key]) for o in used if is_number(o.parts.get(key))]  # type: ignore[arg-type]
        whole = whole and _all_whole(values)
        parts.append(PartActual(key=key, value=sum(values, Decimal(0)) if values else None))
    known = [p.value for p in parts if p.value is not None]
    total = sum(known, Decimal(0)) if known else None
    return replace(base, value=total, parts=tuple(parts), whole_numbers=whole)


def _combine_levels(
    used: Sequence[Observation], base: Actual, target: IncreaseOnBenchmarkTarget
) -> Actual:
    """Each part's value compared with a benchmark: each member's latest figure for that
    part, added up over a group's members (a level, never summed over periods)."""
    parts = []
    whole = True
    for key in _part_keys(used, target):
        values = [
            Decimal(o.parts[key])  # type: ignore[arg-type]
            for o in _latest_levels([o for o in used if is_number(o.parts.get(key))])
        ]
        whole = whole and _all_whole(values)
        parts.append(PartActual(key=key, value=sum(values, Decimal(0)) if values else None))
    return replace(base, parts=tuple(parts), whole_numbers=whole)


def _combine_shares(used: Sequence[Observation], base: Actual, target: Target | None) -> Actual:
    """Each part's share from its numerators and denominators summed (over periods, and
    over a group's members), never an average of percentages."""
    labels = {}
    if isinstance(target, IncreaseOnBenchmarkTarget):
        labels = {part.key: part.label for part in target.parts}
    parts = []
    for key in _part_keys(used, target):
        label = labels.get(key, key)
        shares = [
            o.parts[key]
            for o in used
            if isinstance(o.parts.get(key), Mapping)
            and all(is_number(o.parts[key].get(name)) for name in SHARE_KEYS)  # type: ignore[union-attr]
        ]
        if not shares:
            parts.append(PartActual(key=key, reason=f"no share: nothing recorded for {label}"))
            continue
        numerator = sum((Decimal(s["numerator"]) for s in shares), Decimal(0))  # type: ignore[index]
        denominator = sum((Decimal(s["denominator"]) for s in shares), Decimal(0))  # type: ignore[index]
        if denominator == 0:
            parts.append(
                PartActual(
                    key=key,
                    numerator=numerator,
                    denominator=denominator,
                    reason=f"no share for {label}: the total recorded is 0",
                )
            )
            continue
        parts.append(
            PartActual(
                key=key,
                value=numerator / denominator * HUNDRED,
                numerator=numerator,
                denominator=denominator,
                ratio=numerator / denominator,
            )
        )
    return replace(base, parts=tuple(parts), whole_numbers=False)


def _part_keys(used: Sequence[Observation], target: Target | None) -> list[str]:
    if isinstance(target, IncreaseOnBenchmarkTarget) and target.parts:
        return [part.key for part in target.parts]
    if isinstance(target, CountsTarget | RatioBandTarget):
        return [part.key for part in target.parts]
    keys: list[str] = []
    for observation in used:
        for key in observation.parts:
            if key not in keys:
                keys.append(key)
    return keys


def _combine_ratios(used: Sequence[Observation], base: Actual, target: Target | None) -> Actual:
    groups = {}
    if isinstance(target, RatioBandTarget):
        groups = {part.key: (part.group_a, part.group_b, part.label) for part in target.parts}
    parts = []
    for key in _part_keys(used, target):
        group_a, group_b, label = groups.get(key, ("group A", "group B", key))
        counts = [o.parts[key] for o in used if isinstance(o.parts.get(key), Mapping)]
        complete = [c for c in counts if all(is_number(c.get(name)) for name in RATIO_KEYS)]  # type: ignore[union-attr]
        if not complete:
            parts.append(PartActual(key=key, reason=f"no ratio: nothing recorded for {label}"))
            continue
        sums = {
            name: sum((Decimal(c[name]) for c in complete), Decimal(0))  # type: ignore[index]
            for name in RATIO_KEYS
        }
        ratio, reason = relative_likelihood(**sums, group_a=group_a, group_b=group_b)
        unstable = min(sums["population_a"], sums["population_b"]) < SMALL_COUNT
        outside = zero_comparison_rate(**sums)
        parts.append(
            PartActual(
                key=key, **sums, ratio=ratio, reason=reason, unstable=unstable, outside=outside
            )
        )
    return replace(base, parts=tuple(parts), whole_numbers=False)


def rollup(
    *, members: Mapping[str, Sequence[Observation]], own: Sequence[Observation] = ()
) -> list[Observation]:
    """The observations a group counts: all its members', plus its own only for periods that no
    member's observation overlaps, so nothing held by both is counted twice. Each is tagged
    with its member's code (the group's own with ""), so that gaps, forecasts, milestones and
    self-assessments can be worked out member by member."""
    result = [
        replace(o, member=code) for code, observations in members.items() for o in observations
    ]
    member_periods = [o.period for o in result]
    for observation in own:
        if not any(observation.period.overlaps(p) for p in member_periods):
            result.append(replace(observation, member=""))
    return result
