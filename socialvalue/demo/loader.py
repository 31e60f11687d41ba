"""Demo organisations, people, the two seed charters and plausible progress.

The numbers are invented (seeded, so every run gives the same ones) but shaped like a real
year: most indicators on track, some achieved early, some at risk or off track, some overdue
and some waiting for approval. They are dated relative to today, so the demo always shows a
year in progress.
"""

import random
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction

from socialvalue.charters.models import Charter, Indicator, ReportingPeriod
from socialvalue.charters.services import charter_file_via, charter_load_spec
from socialvalue.demo.spend import demo_spend
from socialvalue.domain.charterfile import parse_charter
from socialvalue.domain.earlier import Basis
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.status import MilestoneState, Status, combine
from socialvalue.domain.targets import Measure, TargetKind
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.services import (
    Reading,
    indicator_earlier_years,
    measurement_approve,
    measurement_record,
)
from socialvalue.organisations.models import Membership, Organisation, Role, User
from socialvalue.spend.indicators import SPEND_COMPUTATIONS

SEEDS = Path(__file__).resolve().parent.parent / "charters" / "seeds"
DEMO_PASSWORD = "demo-social-value"

ORGANISATIONS = [
    # code, name, kind, parent code, postcode
    (
        "LPT-NHFT",
        "Leicestershire Partnership and Northamptonshire Healthcare Group",
        "group",
        None,
        "",
    ),
    ("RXN", "Lancashire Teaching Hospitals NHS Foundation Trust", "trust", None, "PR2 9HT"),
    ("RT5", "Leicestershire Partnership NHS Trust", "trust", "LPT-NHFT", "LE3 8RA"),
    ("RP1", "Northamptonshire Healthcare NHS Foundation Trust", "trust", "LPT-NHFT", "NN15 7PW"),
    ("QE1", "NHS Lancashire and South Cumbria Integrated Care Board", "icb", None, ""),
]

PEOPLE = [
    # email, first name, last name, organisation, role
    ("lead@rxn.example", "Lena", "Ashworth", "RXN", Role.LEAD),
    ("owner@rxn.example", "Omar", "Patel", "RXN", Role.CONTRIBUTOR),
    ("viewer@rxn.example", "Vicky", "Holden", "RXN", Role.VIEWER),
    ("admin@rxn.example", "Adam", "Whittle", "RXN", Role.ADMINISTRATOR),
    ("lead@lpt-nhft.example", "Grace", "Mistry", "LPT-NHFT", Role.LEAD),
    ("lead@rt5.example", "Raj", "Chauhan", "RT5", Role.LEAD),
    ("owner@rp1.example", "Nina", "Brooks", "RP1", Role.CONTRIBUTOR),
    ("lead@rp1.example", "Paul", "Greaves", "RP1", Role.LEAD),
]

# How each demo indicator performs against its goal, cycled through the charter's order.
PATTERN = [
    "on_track",
    "ahead",
    "on_track",
    "at_risk",
    "on_track",
    "off_track",
    "overdue",
    "on_track",
    "waiting",
    "ahead",
]
FACTORS = {
    "ahead": "1.25",
    "on_track": "1.02",
    "at_risk": "0.82",
    "off_track": "0.55",
    "overdue": "1.0",
    "waiting": "1.0",
}


@dataclass(frozen=True)
class DemoResult:
    charters: list[Charter]
    measurements: int
    already_loaded: bool


def demo_load(*, today: date) -> DemoResult:
    with transaction.atomic():
        orgs = _organisations()
        users = _people(orgs)
        charters = []
        for path in sorted(SEEDS.glob("*.yaml")):
            spec = parse_charter(path.read_text(encoding="utf-8"), path=str(path))
            charters.append(charter_load_spec(spec=spec, via=charter_file_via(path.name)).charter)
        current = FinancialYear.containing(today)
        for charter in charters:
            # The demo carries each charter on to the current year so there is a year in
            # progress to look at; the shipped files keep the years the charters state.
            for start in range(
                min(p.start_year for p in charter.periods.all()), current.start_year + 1
            ):
                ReportingPeriod.objects.get_or_create(charter=charter, start_year=start)
        if Measurement.objects.filter(indicator__charter__in=charters).exists():
            return DemoResult(charters=charters, measurements=0, already_loaded=True)
        count = 0
        rxn = next(c for c in charters if c.organisation.code == "RXN")
        count += _progress(rxn, orgs["RXN"], users, today=today)
        # Its local spend is worked out from a ledger, as a trust's would be.
        first = FinancialYear(min(p.start_year for p in rxn.periods.all()))
        count += demo_spend(orgs["RXN"], first=first, today=today)
        group = next(c for c in charters if c.organisation.code == "LPT-NHFT")
        count += _group_progress(group, orgs, users, today=today)
    return DemoResult(charters=charters, measurements=count, already_loaded=False)


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for code, name, kind, parent, postcode in ORGANISATIONS:
        orgs[code], _ = Organisation.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": orgs.get(parent), "postcode": postcode},
        )
    return orgs


def _people(orgs) -> dict[str, User]:
    users = {}
    for email, first, last, org, role in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email, defaults={"username": email, "first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(
            user=user, organisation=orgs[org], defaults={"role": role}
        )
        users[email] = user
    admin, created = User.objects.get_or_create(
        email="platform-admin@example.org",
        defaults={
            "username": "platform-admin",
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Platform",
            "last_name": "Administrator",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["platform-admin@example.org"] = admin
    return users


def _q(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _progress(charter: Charter, org: Organisation, users, *, today: date) -> int:
    lead, owner = users["lead@rxn.example"], users["owner@rxn.example"]
    indicators = list(charter.indicators.order_by("position"))
    for position, indicator in enumerate(indicators):
        indicator.owner = owner if position % 2 == 0 else lead
        indicator.save()
    first = min(p.start_year for p in charter.periods.all())
    current = FinancialYear.containing(today)
    count = 0
    for position, indicator in enumerate(indicators):
        if indicator.computation in SPEND_COMPUTATIONS:
            continue  # a spend computation: worked out from the demo ledger (demo_spend)
        rng = random.Random(f"{charter.code}:{indicator.code}")
        behaviour = PATTERN[position % len(PATTERN)]
        for start in range(first, current.start_year + 1):
            year = FinancialYear(start)
            periods = [p for p in year.periods(indicator.frequency) if p.end < today]
            in_progress = year == current
            if in_progress and behaviour == "overdue" and periods:
                periods = periods[:-2] if len(periods) > 2 else []
            factor = Decimal(FACTORS[behaviour]) if in_progress else Decimal("1.08")
            for index, period in enumerate(periods):
                reading = _reading(
                    indicator,
                    period,
                    year,
                    factor,
                    rng,
                    done=not in_progress,
                    last=index == len(periods) - 1,
                    target=_with_demo_baseline(indicator.target),
                )
                actor = indicator.owner or lead
                m = measurement_record(
                    actor=actor,
                    indicator=indicator,
                    organisation=org,
                    period=period,
                    reading=reading,
                    note="Demo figure from the monthly return",
                )
                count += 1
                if in_progress and behaviour == "waiting" and index == len(periods) - 1:
                    continue
                # Four eyes: the administrator approves what the lead recorded.
                approver = users["admin@rxn.example"] if actor == lead else lead
                measurement_approve(
                    actor=approver, measurement=m, comment="Checked against evidence"
                )
    return count + _earlier_figures(charter, org, indicators, users, first=FinancialYear(first))


# The demo's figure for the 2020/21 baseline of growth from a baseline (ECON-02), which the
# charter names without its figure.
DEMO_BASELINE = Decimal(41_250_000)
DEMO_SOURCE = "Demo figure: invented for the demonstration, not from a published report"


def _with_demo_baseline(target):
    """The target as it reads once the demo's baseline figure is recorded and approved."""
    if target.kind == TargetKind.GROWTH_FROM_BASELINE and target.baseline_value is None:
        return replace(target, baseline_value=DEMO_BASELINE)
    return target


def _earlier_figures(charter, org, indicators, users, *, first: FinancialYear) -> int:
    """A figure for each year before the charter's first that a target is built on (ADR
    020), marked in its source as a demo figure: near the first year's approved figures
    (a little below them for growth, above them for a reduction), or the demo baseline."""
    lead, admin = users["lead@rxn.example"], users["admin@rxn.example"]
    count = 0
    for indicator in indicators:
        target = indicator.target
        counted = [
            m.to_domain()
            for m in Measurement.objects.counted().filter(
                indicator=indicator,
                organisation=org,
                period_start__gte=first.start,
                period_end__lte=first.end,
            )
        ]
        first_year = combine(target, counted)
        for earlier in indicator_earlier_years(indicator):
            share_parts = [p for p in first_year.parts if p.numerator is not None]
            if earlier.basis is Basis.BASELINE:
                reading = Reading(value=DEMO_BASELINE)
            elif share_parts:
                # A benchmark with parts: each part a little below its first year's share.
                reading = Reading(
                    parts={
                        p.key: {
                            "numerator": _q(p.numerator * Decimal("0.9")),
                            "denominator": p.denominator,
                        }
                        for p in share_parts
                    }
                )
            elif first_year.numerator is not None and first_year.denominator is not None:
                reading = Reading(
                    numerator=_q(first_year.numerator * Decimal("0.9")),
                    denominator=first_year.denominator,
                )
            elif first_year.value is not None:
                change = "1.07" if target.kind == TargetKind.REDUCTION_FROM_BASELINE else "0.94"
                reading = Reading(value=_q(first_year.value * Decimal(change)))
            else:
                continue
            m = measurement_record(
                actor=lead,
                indicator=indicator,
                organisation=org,
                period=earlier.period,
                reading=reading,
                note=f"Demo figure for {earlier.description}",
                citation=DEMO_SOURCE,
            )
            measurement_approve(actor=admin, measurement=m, comment="Checked against the report")
            count += 1
    return count


def _reading(
    indicator: Indicator,
    period: Period,
    year: FinancialYear,
    factor: Decimal,
    rng: random.Random,
    *,
    done: bool,
    last: bool,
    target=None,
) -> Reading:
    target = target or indicator.target
    kind = target.kind
    n = len(year.periods(indicator.frequency))
    wobble = Decimal(rng.randint(85, 115)) / 100
    goal = target.goal(year, previous_actual=None)
    if kind == TargetKind.COUNTS:
        return Reading(
            parts={
                p.key: max(Decimal(0), _q(p.value / n * factor * wobble + Decimal("0.4")))
                for p in target.parts
            }
        )
    if kind == TargetKind.SHARE:
        denominator = Decimal(rng.randint(18_000, 22_000))
        share = target.target_percent / 100 * factor * (Decimal(rng.randint(95, 105)) / 100)
        return Reading(numerator=_q(denominator * share), denominator=denominator)
    if kind == TargetKind.INCREASE_ON_BENCHMARK and target.parts:
        # Each part apart, of the same senior roles: the first part (ethnic minority
        # colleagues) around 13%, the others (disabled colleagues) around 4%.
        if target.measure == Measure.SHARE:
            return Reading(
                parts={
                    p.key: {
                        "numerator": Decimal(
                            rng.randint(70, 90) if i == 0 else rng.randint(18, 30)
                        ),
                        "denominator": Decimal(600),
                    }
                    for i, p in enumerate(target.parts)
                }
            )
        return Reading(parts={p.key: Decimal(rng.randint(50, 70)) for p in target.parts})
    if kind == TargetKind.INCREASE_ON_BENCHMARK:
        if target.measure == Measure.SHARE:
            return Reading(numerator=Decimal(rng.randint(40, 60)), denominator=Decimal(600))
        return Reading(value=Decimal(rng.randint(50, 70)))
    if kind == TargetKind.RATIO_BAND:
        return Reading(
            parts={
                p.key: {
                    "events_a": Decimal(rng.randint(200, 260)),
                    "population_a": Decimal(1000),
                    "events_b": Decimal(rng.randint(150, 230)),
                    "population_b": Decimal(800),
                }
                for p in target.parts
            }
        )
    if kind == TargetKind.MILESTONE:
        if done or (last and factor > 1):
            return Reading(milestone_state=MilestoneState.DONE, achieved_on=period.end)
        return Reading(milestone_state=MilestoneState.IN_PROGRESS)
    if kind in (TargetKind.MAINTAIN, TargetKind.DIRECTION):
        status = Status.ON_TRACK if factor >= 1 else Status.AT_RISK
        return Reading(
            self_status=status,
            narrative=(
                "Work continued this period with partners across the trust. "
                "Evidence is kept with the social value team."
            ),
        )
    if kind == TargetKind.REDUCTION_FROM_BASELINE:
        base = Decimal(rng.randint(900, 1100))  # reams of paper a period
        return Reading(value=_q(base * (Decimal(2) - factor) * Decimal("0.93")))
    if goal is not None and goal.value is not None:
        per_period = goal.value / n
    else:
        per_period = Decimal(rng.randint(8, 30))
    value = per_period * factor * wobble
    places = "0.01" if indicator.unit in {"£", "GBP"} else "1"
    return Reading(value=max(Decimal(0), _q(value, places)))


def _group_progress(charter: Charter, orgs, users, *, today: date) -> int:
    count = 0
    current = FinancialYear.containing(today)
    lead = users["lead@rp1.example"]
    indicators = list(charter.indicators.order_by("position"))
    for position, indicator in enumerate(indicators):
        indicator.owner = users["owner@rp1.example"] if position % 2 == 0 else None
        indicator.save()
    for member, member_lead in ((orgs["RT5"], users["lead@rt5.example"]), (orgs["RP1"], lead)):
        for position, indicator in enumerate(indicators[::2]):
            periods = [p for p in current.periods(indicator.frequency) if p.end < today][-1:]
            for period in periods:
                m = measurement_record(
                    actor=member_lead,
                    indicator=indicator,
                    organisation=member,
                    period=period,
                    reading=Reading(
                        self_status=Status.ON_TRACK if position % 3 else Status.AT_RISK,
                        narrative=f"{member.name} reported progress on this commitment.",
                    ),
                )
                count += 1
                if position % 4 != 3:
                    # Four eyes: the group's lead approves what a member's lead recorded.
                    measurement_approve(actor=users["lead@lpt-nhft.example"], measurement=m)
    return count
