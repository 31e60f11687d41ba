"""What a lead needs beside each waiting value to decide on it: the unit, the target in
words, the previous period's approved figure and, for a correction, what it changes."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Min

from socialvalue.charters.models import ReportingPeriod
from socialvalue.domain.earlier import earlier_years
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.presenters import reading_text


@dataclass(frozen=True)
class ApprovalRow:
    measurement: Measurement
    value: str
    unit: str
    target: str
    previous_label: str
    previous: str
    changes_from: str  # the version this corrects, in words; "" for a first version
    superseded: bool


def approval_rows(waiting: list[Measurement], *, visible) -> list[ApprovalRow]:
    """One row per waiting value. `visible` is the Measurement queryset the user may read;
    the previous period's figure is the approved one that counts (one query for all rows)."""
    counted: dict[tuple[int, int], list[Measurement]] = {}
    if waiting:
        for m in visible.counted().filter(
            indicator__in={m.indicator_id for m in waiting},
            organisation__in={m.organisation_id for m in waiting},
        ):
            counted.setdefault((m.indicator_id, m.organisation_id), []).append(m)
    first_years = dict(
        ReportingPeriod.objects.filter(charter__in={m.indicator.charter_id for m in waiting})
        .values("charter")
        .annotate(first=Min("start_year"))
        .values_list("charter", "first")
    )
    rows = []
    for m in waiting:
        indicator = m.indicator
        previous_period = _previous_period(m)
        target = indicator.target.describe(m.period.financial_year, unit=indicator.unit)
        first = first_years.get(indicator.charter_id)
        if first is not None and m.period.financial_year < FinancialYear(first):
            # A year before the charter's: what the target is built on, not a year it judges.
            built_on = [
                e.description
                for e in earlier_years(indicator.target, first_year=FinancialYear(first))
                if e.year == m.period.financial_year
            ]
            target = f"the figure {indicator.code}'s target is built on ({', '.join(built_on)})"
        earlier = [
            c
            for c in counted.get((m.indicator_id, m.organisation_id), [])
            if c.period_start == previous_period.start and c.period_end == previous_period.end
        ]
        rows.append(
            ApprovalRow(
                measurement=m,
                value=reading_text(m, indicator.unit),
                unit=indicator.unit,
                target=target,
                previous_label=previous_period.label,
                previous=reading_text(earlier[0], indicator.unit) if earlier else "None approved",
                changes_from=reading_text(m.supersedes, indicator.unit) if m.supersedes_id else "",
                superseded=m.newest_version > m.version,
            )
        )
    return rows


def _previous_period(m: Measurement):
    """The period just before the value's, of the same frequency (may be in the year before)."""
    return Period.containing(m.period.frequency, m.period_start - timedelta(days=1))
