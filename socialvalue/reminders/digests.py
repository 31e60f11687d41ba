"""What each person is reminded of: reads only, from the same rules as the pages.

Overdue periods come from `charter_progress` (the rule behind "My indicators"), and values
waiting for approval from `reviewable_by` (the rule behind the approvals page), so an email
never disagrees with what the person sees when they follow its link.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.progress import charter_progress
from socialvalue.organisations.models import Membership, Role, User


@dataclass(frozen=True)
class OverdueItem:
    charter: Charter
    indicator: Indicator
    periods: tuple[Period, ...]


@dataclass(frozen=True)
class OverdueDigest:
    user: User
    items: tuple[OverdueItem, ...]

    @property
    def period_count(self) -> int:
        return sum(len(item.periods) for item in self.items)


@dataclass(frozen=True)
class ApprovalSummary:
    user: User
    waiting: tuple[Measurement, ...]


def years_to_check(charter: Charter, as_of: date) -> list[FinancialYear]:
    """The charter's year containing `as_of` and the one before: a year's last quarter falls
    overdue a month into the next year."""
    current = FinancialYear.containing(as_of)
    years = {p.year for p in charter.periods.all()}
    return [y for y in (current.previous, current) if y in years]


def overdue_digests(*, as_of: date) -> list[OverdueDigest]:
    """For each active owner who wants them, their indicators' overdue periods."""
    owners = (
        User.objects.filter(is_active=True, email_overdue_reminders=True)
        .filter(owned_indicators__isnull=False)
        .distinct()
        .order_by("email")
    )
    digests = []
    for owner in owners:
        by_charter: dict[int, list[Indicator]] = defaultdict(list)
        for indicator in (
            Indicator.objects.for_user(owner)
            .owned_by(owner)
            .select_related("charter__organisation", "pledge__theme", "owner")
            .prefetch_related("charter__periods")
            .order_by("charter__code", "position", "code")
        ):
            by_charter[indicator.charter_id].append(indicator)
        items = []
        for indicators in by_charter.values():
            charter = indicators[0].charter
            overdue: dict[int, list[Period]] = defaultdict(list)
            for year in years_to_check(charter, as_of):
                progress = charter_progress(charter, year=year, as_of=as_of, indicators=indicators)
                for result in progress.indicators:
                    overdue[result.indicator.pk].extend(result.overdue)
            items.extend(
                OverdueItem(charter, i, tuple(sorted(overdue[i.pk])))
                for i in indicators
                if overdue[i.pk]
            )
        if items:
            digests.append(OverdueDigest(owner, tuple(items)))
    return digests


def approval_summaries(*, as_of: date) -> list[ApprovalSummary]:
    """For each active lead or administrator who wants them, the values waiting now that they
    may approve (the approvals page's list). `as_of` only dates the email: the queue is
    today's, since a value approved since then is no longer waiting."""
    leading = Membership.objects.at_least(Role.LEAD).values("user")
    leads = User.objects.filter(
        is_active=True, email_approval_reminders=True, pk__in=leading
    ).order_by("email")
    summaries = []
    for lead in leads:
        waiting = tuple(
            Measurement.objects.for_user(lead)
            .waiting()
            .reviewable_by(lead)
            .select_related("indicator__charter", "organisation", "recorded_by")
            .order_by("recorded_at", "pk")
        )
        if waiting:
            summaries.append(ApprovalSummary(lead, waiting))
    return summaries
