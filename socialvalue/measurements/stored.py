"""Stored assessments: each indicator's figures for today, kept with the fingerprint of what
they were computed from, and read back while that fingerprint holds (ADR 022).

The fingerprint of an indicator's figures for an organisation (or a group's roll-up) and a
year is a SHA-256 over:

- the date they are judged at (today: a new day, and so a new period, is a new fingerprint);
- the status engine's own code (every module of socialvalue/domain, this module and
  progress.py), so a new release never reads figures an older engine computed;
- every stored field of the indicator (target, frequency, unit, profile, first year...) and
  of its charter (thresholds...), and the overdue grace days;
- the organisations whose values count (a group's members, as they are now, with their
  codes and names, which a group's explanations and overdue lists use);
- the indicator's values up to the end of the year for those organisations: how many rows,
  the newest row's id, and how many are approved and returned. Values are append-only and a
  value's state only moves from waiting to approved or returned (ADR 004), so a recorded
  value, a correction, an approval and a return each change these.

Checking it costs one aggregate query for all the indicators shown; the stored figures are
one more. Any indicator whose fingerprint differs is computed again (together, in the same
fixed number of queries) and its row overwritten. The fingerprint is taken before the
figures are computed, so a write that lands in between can only leave a row that is
recomputed on the next read, never a stale figure that is shown.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.status import Assessment, Observation
from socialvalue.measurements.models import Measurement, ReviewState, StoredAssessment

__all__ = ["Figures", "fingerprints", "none_waiting", "read_or_compute", "storable", "value_marks"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    """What the status engine works out for one indicator: organisations by id."""

    assessment: Assessment
    overdue_by: tuple[tuple[Period, int | None], ...]
    observations: tuple[Observation, ...]
    members: tuple[tuple[int, Assessment], ...]


def storable(charter, *, as_of: date, organisation=None) -> bool:
    """Figures are stored for today only, for the charter's organisation or one member;
    figures for any other date are computed directly and not kept (and all are, with
    SOCIALVALUE_STORED_ASSESSMENTS=false)."""
    if not settings.STORED_ASSESSMENTS or as_of != timezone.localdate():
        return False
    return organisation is None or organisation.pk != charter.organisation_id


@cache
def engine_version() -> str:
    """A digest of the code that computes the figures."""
    here = Path(__file__).resolve().parent
    domain = sorted((here.parent / "domain").rglob("*.py"))
    files = [*domain, here / "progress.py", here / "stored.py"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _fields(instance) -> list:
    return [(f.attname, getattr(instance, f.attname)) for f in instance._meta.concrete_fields]


def value_marks(indicators, *, year: FinancialYear, reporting) -> dict[int, tuple]:
    """Per indicator, its values up to the year's end for the reporting organisations: how
    many rows, the newest row's id, and how many are approved and returned (one query). A
    fingerprint is made of them; the rest (rows neither approved nor returned) wait."""
    return {
        row["indicator"]: (row["n"], row["last"], row["approved"], row["returned"])
        for row in Measurement.objects.filter(
            indicator__in=[i.pk for i in indicators],
            organisation_id__in=sorted(o.pk for o in reporting),
            period_end__lte=year.end,
        )
        .order_by()
        .values("indicator")
        .annotate(
            n=Count("pk"),
            last=Max("pk"),
            approved=Count("pk", filter=Q(state=ReviewState.APPROVED)),
            returned=Count("pk", filter=Q(state=ReviewState.RETURNED)),
        )
    }


def none_waiting(marks: dict[int, tuple]) -> bool:
    """No value of any of these indicators waits for approval (see value_marks)."""
    return all(n == approved + returned for n, _last, approved, returned in marks.values())


def fingerprints(
    charter, indicators, *, year: FinancialYear, as_of: date, reporting, scope, marks
) -> dict[int, str]:
    """Each indicator's fingerprint (see the module's docstring), from its `value_marks`."""
    common = repr(
        (
            engine_version(),
            as_of.isoformat(),
            year.start_year,
            scope.pk,
            # Codes and names too: a group's explanation names its members.
            [_fields(o) for o in sorted(reporting, key=lambda o: o.pk)],
            settings.OVERDUE_GRACE_DAYS,
            _fields(charter),
        )
    )
    return {
        i.pk: hashlib.sha256(
            repr((common, _fields(i), marks.get(i.pk, (0, None, 0, 0)))).encode()
        ).hexdigest()
        for i in indicators
    }


def read_or_compute(
    charter,
    indicators,
    *,
    year: FinancialYear,
    as_of: date,
    reporting,
    scope,
    compute: Callable[[list], dict[int, Figures]],
    marks: dict[int, tuple],
) -> dict[int, Figures]:
    """Each indicator's figures: stored ones whose fingerprint (from `marks`, read by the
    caller with value_marks, which also tell it whether any value waits) still matches,
    the rest computed with `compute` (given the indicators to compute) and stored."""
    prints = fingerprints(
        charter, indicators, year=year, as_of=as_of, reporting=reporting, scope=scope, marks=marks
    )
    figures: dict[int, Figures] = {}
    for row in StoredAssessment.objects.filter(
        indicator__in=list(prints), organisation=scope, year_start=year.start
    ).only("indicator_id", "as_of", "fingerprint", "payload"):
        if row.as_of == as_of and row.fingerprint == prints[row.indicator_id]:
            try:
                figures[row.indicator_id] = pickle.loads(bytes(row.payload))
            except Exception:  # a row that does not load is computed again
                continue
    stale = [i for i in indicators if i.pk not in figures]
    if stale:
        fresh = compute(stale)
        figures.update(fresh)
        _store(fresh, prints=prints, scope=scope, year=year, as_of=as_of)
    return figures


def _store(fresh: dict[int, Figures], *, prints, scope, year: FinancialYear, as_of: date) -> None:
    now = timezone.now()
    rows = [
        StoredAssessment(
            indicator_id=pk,
            organisation=scope,
            year_start=year.start,
            as_of=as_of,
            fingerprint=prints[pk],
            payload=pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL),
            computed_at=now,
        )
        for pk, f in fresh.items()
    ]
    try:
        # A savepoint: a failed write (two requests storing at once) leaves the page's
        # transaction usable; the figures shown were computed either way.
        with transaction.atomic():
            StoredAssessment.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["indicator", "organisation", "year_start"],
                update_fields=["as_of", "fingerprint", "payload", "computed_at"],
            )
    except DatabaseError as error:
        # Not stored this time; the next read computes again. Said, not silent.
        logger.warning("stored assessments for %s %s not written: %s", scope, year.label, error)
