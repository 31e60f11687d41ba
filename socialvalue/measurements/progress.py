"""Reads that assess a charter's indicators: the status engine fed from the database.

Everything a dashboard needs comes from a fixed number of queries, whatever the number of
indicators or values: indicators, organisations, counted values, recorded periods and
waiting counts are each fetched once and grouped in Python. Assessments for today are
stored with the fingerprint of what they were computed from, and read back while it holds
(socialvalue/measurements/stored.py, ADR 022).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from socialvalue.charters.history import charter_as_known, indicators_as_known
from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.earlier import reference_year
from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.status import (
    Assessment,
    MilestoneState,
    Observation,
    Status,
    assess,
    overdue_periods,
    rollup,
)
from socialvalue.domain.targets import TargetKind, timing_of
from socialvalue.measurements import stored
from socialvalue.measurements.models import Measurement, ReviewState
from socialvalue.measurements.stored import Figures
from socialvalue.organisations.access import memberships_of
from socialvalue.organisations.models import Organisation, seen_in_full_ids


@dataclass(frozen=True)
class MemberResult:
    organisation: Organisation
    assessment: Assessment


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    assessment: Assessment
    waiting: int
    overdue: tuple[Period, ...]
    observations: tuple[Observation, ...]
    members: tuple[MemberResult, ...] = field(default=())
    # Each overdue period with the member trust that is late for it (None: the charter's own
    # organisation, or a group viewed as one member).
    overdue_by: tuple[tuple[Period, Organisation | None], ...] = field(default=())

    @property
    def overdue_text(self) -> str:
        """ "Q1 2023/24, Q2 2023/24 (Northamptonshire Healthcare)": who is late, by period."""
        return ", ".join(
            f"{period.label} ({who.name})" if who is not None else period.label
            for period, who in self.overdue_by
        )


@dataclass(frozen=True)
class CharterProgress:
    charter: Charter
    year: FinancialYear
    as_of: date
    organisation: Organisation | None
    indicators: tuple[IndicatorProgress, ...]
    # The moment of knowledge the figures are as known at; None: now.
    known_on: datetime | None = None

    def count(self, status: Status) -> int:
        return sum(1 for p in self.indicators if p.assessment.status == status)

    @property
    def waiting(self) -> int:
        return sum(p.waiting for p in self.indicators)

    @property
    def overdue(self) -> int:
        return sum(1 for p in self.indicators if p.overdue)


def charter_progress(
    charter: Charter,
    *,
    year: FinancialYear,
    as_of: date,
    organisation: Organisation | None = None,
    indicators=None,
    waiting_seen_by=None,
    known_on: datetime | None = None,
) -> CharterProgress:
    """Assess every indicator of the charter for the year, judged at `as_of` with what was
    known at `known_on` (None: now; ADR 021).

    `as_of` sets the periods and the pace, and leaves out what describes days after it (see
    counted_observations). `known_on` keeps only values recorded and approved by then, and
    the targets and thresholds as they stood then (charters.history); an indicator created
    after it is left out.

    On a group's charter the figures are the group's roll-up of its members (plus the
    group's own values for periods no member reported), unless `organisation` narrows them
    to one member. With `waiting_seen_by` (a user), values waiting for approval are counted
    only where that user sees values at every state: a member trust's people do not learn
    how many of a sibling trust's values wait (ADR 008).

    Assessed as of today, each indicator's figures come from the store when what they were
    computed from is unchanged, and are computed and stored otherwise (ADR 022); any other
    date is computed directly. Only the given indicators' values are read.
    """
    charter = charter_as_known(charter, known_on)
    owner = charter.organisation
    reporting = owner.with_members()
    if organisation is not None:
        reporting = [o for o in reporting if o.pk == organisation.pk]
    if indicators is None:
        indicators = charter.indicators.select_related("owner", "pledge__theme")
    indicators = list(indicators_as_known(indicators, known_on))
    whole = organisation is None
    marks = None
    # Only figures as known now are stored (ADR 022); a past moment is computed.
    if known_on is None and stored.storable(charter, as_of=as_of, organisation=organisation):
        marks = stored.value_marks(indicators, year=year, reporting=reporting)
        figures = stored.read_or_compute(
            charter,
            indicators,
            year=year,
            as_of=as_of,
            reporting=reporting,
            scope=organisation or owner,
            compute=lambda stale: _figures(
                charter, stale, year=year, as_of=as_of, reporting=reporting, whole=whole
            ),
            marks=marks,
        )
    else:
        figures = _figures(
            charter,
            indicators,
            year=year,
            as_of=as_of,
            reporting=reporting,
            whole=whole,
            known_on=known_on,
        )
    # No value of these indicators waits (the marks read for the store say so): nothing
    # to count. Otherwise counted live, for the person asking.
    waiting = (
        {}
        if marks is not None and stored.none_waiting(marks)
        else _waiting(
            indicators,
            year=year,
            org_ids=[o.pk for o in reporting],
            seen_by=waiting_seen_by,
            known_on=known_on,
        )
    )
    by_pk = {o.pk: o for o in reporting}
    results = []
    for indicator in indicators:
        f = figures[indicator.pk]
        overdue_by = tuple(
            (period, by_pk[pk] if pk is not None else None) for period, pk in f.overdue_by
        )
        results.append(
            IndicatorProgress(
                indicator=indicator,
                assessment=f.assessment,
                waiting=waiting.get(indicator.pk, 0),
                overdue=tuple(dict.fromkeys(period for period, _ in overdue_by)),
                overdue_by=overdue_by,
                observations=f.observations,
                members=tuple(MemberResult(by_pk[pk], a) for pk, a in f.members),
            )
        )
    return CharterProgress(
        charter=charter,
        year=year,
        as_of=as_of,
        organisation=organisation,
        indicators=tuple(results),
        known_on=known_on,
    )


def _waiting(
    indicators, *, year: FinancialYear, org_ids, seen_by, known_on: datetime | None
) -> dict:
    """Values waiting for approval per indicator (at `known_on`), counted live: who may see
    them differs by person, so they are never stored."""
    waiting_orgs = org_ids
    if seen_by is not None:
        seen = seen_in_full_ids(seen_by)
        waiting_orgs = [pk for pk in org_ids if pk in seen]
    return waiting_counts(
        Measurement.objects.filter(
            indicator__in=[i.pk for i in indicators], organisation_id__in=waiting_orgs
        ),
        year=year,
        known_on=known_on,
    )


def _figures(
    charter: Charter,
    indicators: list[Indicator],
    *,
    year: FinancialYear,
    as_of: date,
    reporting: list[Organisation],
    whole: bool,
    known_on: datetime | None = None,
) -> dict[int, Figures]:
    """The status engine run on the database: each indicator's assessment, overdue periods
    and counted observations, from one query for counted values and one for recorded
    periods, whatever the number of indicators."""
    owner = charter.organisation
    org_ids = [o.pk for o in reporting]
    indicator_ids = [i.pk for i in indicators]
    scope = Measurement.objects.filter(indicator__in=indicator_ids, organisation_id__in=org_ids)
    window = (year.previous.start, year.end)
    # A target cumulative across years counts every year from its start.
    starts = [
        timing_of(i.target).start_year
        for i in indicators
        if timing_of(i.target).cumulative and timing_of(i.target).start_year is not None
    ]
    # A baseline or benchmark year named without its figure: its recorded figure (ADR 020).
    starts += [found[0] for i in indicators if (found := reference_year(i.target)) is not None]
    if starts:
        window = (min(min(starts).start, window[0]), year.end)

    counted = counted_observations(scope, window=window, as_of=as_of, known_on=known_on)

    recorded: dict[int, list[Period]] = defaultdict(list)
    recorded_by_org: dict[tuple[int, int], list[Period]] = defaultdict(list)
    for (indicator_id, organisation_id), periods in recorded_periods(
        scope, year=year, known_on=known_on
    ).items():
        recorded[indicator_id].extend(periods)
        recorded_by_org[(indicator_id, organisation_id)].extend(periods)
    # On a group's charter seen whole, each member trust owes each period; the group's own
    # value for a period stands for the group, so then no member is late for it.
    late_members = [o for o in reporting if o.pk != owner.pk] if owner.is_group and whole else []

    results = {}
    for indicator in indicators:
        per_org = {o.pk: counted.get((indicator.pk, o.pk), []) for o in reporting}
        observations = _combined(owner, reporting, per_org)
        member_codes = _member_codes(owner, reporting)
        members: tuple[tuple[int, Assessment], ...] = ()
        if owner.is_group and whole:
            members = tuple(
                (o.pk, _assess(indicator, charter, year, as_of, per_org[o.pk]))
                for o in reporting
                if o.pk != owner.pk
            )
        assessment = _assess(indicator, charter, year, as_of, observations, member_codes)

        done = _milestone_done(assessment)

        def late(recorded_periods, indicator=indicator, done=done):
            return overdue_periods(
                year=year,
                frequency=indicator.frequency,
                recorded=recorded_periods,
                as_of=as_of,
                grace_days=settings.OVERDUE_GRACE_DAYS,
                done=done,
                applies_from=indicator.applies_from_year,
            )

        overdue_by: tuple[tuple[Period, int | None], ...]
        if late_members:
            own = recorded_by_org.get((indicator.pk, owner.pk), [])
            overdue_by = tuple(
                (period, member.pk)
                for period, member in sorted(
                    (
                        (period, member)
                        for member in late_members
                        for period in late(own + recorded_by_org.get((indicator.pk, member.pk), []))
                    ),
                    key=lambda pair: (pair[0], pair[1].name),
                )
            )
        else:
            overdue_by = tuple((period, None) for period in late(recorded.get(indicator.pk, [])))
        results[indicator.pk] = Figures(
            assessment=assessment,
            overdue_by=overdue_by,
            observations=tuple(
                sorted(
                    (o for o in observations if year.start <= o.period.start),
                    key=lambda o: o.period,
                )
            ),
            members=members,
        )
    return results


# What counted, was recorded and waited, at a judged-at date and a moment of knowledge -------
# (ADR 021). Each takes a queryset of measurements already scoped (charter, organisations) and
# answers by (indicator id, organisation id) or by indicator id. With known_on None and as_of
# today or later they are the plain current reads.


def describes_by(measurement: Measurement, as_of: date) -> bool:
    """Whether a value describes nothing after `as_of`: its period has ended by then, or it
    was recorded by the end of that day (a figure for a period still running)."""
    return measurement.period_end <= as_of or (timezone.localdate(measurement.recorded_at) <= as_of)


def counted_observations(
    measurements, *, window: tuple[date, date], as_of: date, known_on: datetime | None = None
) -> dict[tuple[int, int], list[Observation]]:
    """The observation that counts for each indicator, organisation and period: the newest
    version approved by `known_on` among those that describe nothing after `as_of`."""
    scoped = measurements.filter(period_start__gte=window[0], period_end__lte=window[1])
    counted: dict[tuple[int, int], list[Observation]] = defaultdict(list)
    if known_on is None and as_of >= timezone.localdate():
        for m in scoped.counted():
            counted[(m.indicator_id, m.organisation_id)].append(m.to_domain())
        return counted
    approved = (
        scoped.approved_by_moment(known_on)
        if known_on is not None
        else scoped.filter(state=ReviewState.APPROVED)
    )
    newest: dict[tuple, Measurement] = {}
    for m in approved.order_by("version"):
        if describes_by(m, as_of):
            newest[(m.indicator_id, m.organisation_id, m.period_start, m.period_end)] = m
    for (indicator_id, organisation_id, _, _), m in newest.items():
        counted[(indicator_id, organisation_id)].append(m.to_domain())
    return counted


def recorded_periods(
    measurements, *, year: FinancialYear, known_on: datetime | None = None
) -> dict[tuple[int, int], list[Period]]:
    """The periods of the year with a value approved or waiting (by `known_on`): a returned
    value alone is not one, so its period can still fall overdue."""
    scoped = measurements.filter(period_start__gte=year.start, period_end__lte=year.end)
    scoped = (
        scoped.exclude(state=ReviewState.RETURNED)
        if known_on is None
        else scoped.not_returned_at(known_on)
    )
    result: dict[tuple[int, int], list[Period]] = defaultdict(list)
    for indicator_id, organisation_id, start, end, frequency in scoped.values_list(
        "indicator_id", "organisation_id", "period_start", "period_end", "frequency"
    ).distinct():
        result[(indicator_id, organisation_id)].append(Period(start, end, Frequency(frequency)))
    return result


def waiting_counts(
    measurements, *, year: FinancialYear, known_on: datetime | None = None
) -> dict[int, int]:
    """How many values of the year waited for approval at `known_on`, by indicator. A
    superseded version cannot be approved (only the newest can), so it is not counted."""
    scoped = measurements.filter(period_start__gte=year.start, period_end__lte=year.end)
    scoped = scoped.waiting().newest() if known_on is None else scoped.waiting_at(known_on)
    return dict(
        scoped.values_list("indicator").annotate(n=Count("pk")).values_list("indicator", "n")
    )


def _member_codes(owner: Organisation, reporting) -> tuple[str, ...]:
    """The members whose gaps a group's figure shows: every member when the whole group is
    assessed (one member, or a trust's own charter, has no members to list)."""
    if not owner.is_group:
        return ()
    codes = tuple(o.code for o in reporting if o.pk != owner.pk)
    return codes if len(codes) > 1 else ()


def _milestone_done(assessment: Assessment) -> bool:
    """A milestone done (on time or late) owes no further reports, so none is overdue."""
    combined = assessment.combined
    return (
        combined is not None
        and combined.kind is TargetKind.MILESTONE
        and assessment.status in (Status.ACHIEVED, Status.DONE_LATE)
        and combined.milestone_state is MilestoneState.DONE
    )


def _combined(owner: Organisation, reporting, per_org) -> list[Observation]:
    if not owner.is_group:
        return [o for observations in per_org.values() for o in observations]
    members = {o.code: per_org[o.pk] for o in reporting if o.pk != owner.pk}
    return rollup(members=members, own=per_org.get(owner.pk, []))


def _assess(
    indicator: Indicator,
    charter: Charter,
    year: FinancialYear,
    as_of: date,
    observations,
    members: tuple[str, ...] = (),
) -> Assessment:
    return assess(
        indicator.target,
        year=year,
        frequency=indicator.frequency,
        observations=[o for o in observations if o.period.financial_year == year],
        as_of=as_of,
        unit=indicator.unit,
        thresholds=charter.thresholds,
        profile=indicator.profile_fractions,
        # Every earlier year loaded: the previous year, and a cumulative target's years.
        previous_observations=[o for o in observations if o.period.financial_year < year],
        members=members,
        applies_from=indicator.applies_from_year,
    )


def own_member(user, charter: Charter) -> Organisation | None:
    """The member trust a person belongs to when they view their group's charter, whose
    contribution is then shown beside the group's figure; None for the group's own people,
    a trust's own charter, or someone in several members (they choose one in the filter)."""
    group = charter.organisation
    if not group.is_group or not user.is_authenticated:
        return None
    mine = {m.organisation_id for m in memberships_of(user)}
    if group.pk in mine:
        return None
    members = [o for o in group.members.all() if o.pk in mine]
    return members[0] if len(members) == 1 else None
