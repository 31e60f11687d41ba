"""Charters and indicators as they stood at a moment, and the story of their changes.

Every change of a kept charter setting is a CharterSettingChange row (old and new value as
text), and every change of what an indicator's status depends on is an IndicatorVersion
(ADR 021). These reads turn them back into objects the status engine is fed from: a charter
with its thresholds as they stood, indicators with their targets as they stood. `known_on`
None means now: the objects are returned unchanged, with no query.

Copies are never saved: they are the past, shown.
"""

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from socialvalue.charters.models import Charter, CharterSettingChange, Indicator, IndicatorVersion
from socialvalue.domain.bounds import date_problem
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets import parse_target

__all__ = [
    "Change",
    "charter_as_known",
    "charter_existed",
    "indicator_changes",
    "indicators_as_known",
    "read_as_of",
    "read_known_on",
    "setting_at",
    "setting_change_text",
]

# The charter settings the status depends on, read back from their text.
_READ_BACK = {
    "title": str,
    "at_risk_below": Decimal,
    "off_track_below": Decimal,
    "self_approval_allowed": lambda text: text == "yes",
}

SETTING_NAMES = {
    "title": "Title",
    "at_risk_below": "At risk below",
    "off_track_below": "Off track below",
    "self_approval_allowed": "A lead may approve their own values",
    "reporting_years": "Reporting years",
}


def read_as_of(text: str) -> date:
    """A judged-at date as typed (`--as-of`, `?as_of=`); ValueError says what is wrong."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"enter a date like 2024-03-31, not {text!r}") from None
    if problem := date_problem(day):
        raise ValueError(f"the date {problem}")
    return day


def read_known_on(text: str) -> datetime:
    """A moment of knowledge as typed (`--known-on`, `?known_on=`): a date means the end of
    that day, a date-time is London time unless it gives its own offset."""
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time.max.replace(microsecond=0))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"enter a date like 2024-03-31 or a date and time like 2024-03-31T17:00, not {text!r}"
        ) from None
    if problem := date_problem(moment.date()):
        raise ValueError(f"the date {problem}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def setting_at(changes: Iterable[CharterSettingChange], setting: str, moment: datetime):
    """The text a setting had at `moment`: the newest change by then, or, before its first
    change, that change's old value; None if it never changed (then it is the current one)."""
    rows = sorted((c for c in changes if c.setting == setting), key=lambda c: (c.changed_at, c.pk))
    by_then = [c for c in rows if c.changed_at <= moment]
    if by_then:
        return by_then[-1].new_value
    return rows[0].old_value if rows else None


def charter_existed(charter: Charter, known_on: datetime | None) -> bool:
    return known_on is None or charter.created_at <= known_on


def charter_as_known(charter: Charter, known_on: datetime | None) -> Charter:
    """The charter with its title, thresholds and approval rule as they stood at `known_on`."""
    if known_on is None:
        return charter
    changes = list(charter.setting_changes.all())
    if not changes:
        return charter
    stood = copy.copy(charter)
    for setting, read in _READ_BACK.items():
        text = setting_at(changes, setting, known_on)
        if text is not None:
            setattr(stood, setting, read(text))
    return stood


def indicators_as_known(indicators: Iterable[Indicator], known_on: datetime | None):
    """The indicators as they stood at `known_on`: each with the target, profile, years,
    frequency, unit, code and title of its version then; one not yet created then is left
    out. An indicator with no versions at all (made outside the services) is as it is."""
    indicators = list(indicators)
    if known_on is None or not indicators:
        return indicators
    versions: dict[int, list[IndicatorVersion]] = defaultdict(list)
    for version in IndicatorVersion.objects.filter(
        indicator_id__in=[i.pk for i in indicators]
    ).order_by("version"):
        versions[version.indicator_id].append(version)
    result = []
    for indicator in indicators:
        kept = versions.get(indicator.pk)
        if not kept:
            result.append(indicator)
            continue
        by_then = [v for v in kept if v.changed_at <= known_on]
        if not by_then:
            continue
        stood = copy.copy(indicator)
        for name in IndicatorVersion.FIELDS:
            setattr(stood, name, getattr(by_then[-1], name))
        result.append(stood)
    return result


@dataclass(frozen=True)
class Change:
    """One entry of an indicator's history of targets and settings, for its page."""

    changed_at: datetime
    who: str
    what: tuple[str, ...]


def _who(row) -> str:
    person = str(row.changed_by) if row.changed_by_id else ""
    via = row.changed_via
    if person and via:
        return f"{person} ({via})"
    return person or via or "Not recorded"


def _target_text(version: IndicatorVersion, year: FinancialYear) -> str:
    try:
        target = parse_target(version.target_kind, version.target_params)
    except ValueError:
        return f"{version.target_kind} {version.target_params}"
    return target.describe(year, unit=version.unit)


def _percent(text: str) -> str:
    return f"{(Decimal(text) * 100).normalize():f}%"


def _describe_version(
    before: IndicatorVersion | None, after: IndicatorVersion, year: FinancialYear
) -> tuple[str, ...]:
    target = _target_text(after, year)
    if before is None:
        return (f"Version 1: target for {year.label}: {target}",)
    what = []
    old_target = _target_text(before, year)
    if old_target != target or before.target_kind != after.target_kind:
        what.append(f"Target for {year.label}: {old_target} → {target}")
    elif before.target_params != after.target_params:
        what.append(f"Target settings: {before.target_params} → {after.target_params}")
    if before.profile != after.profile:
        what.append(
            "Profile: "
            + " → ".join(
                ", ".join(_percent(str(f)) for f in p) if p else "pro rata"
                for p in (before.profile, after.profile)
            )
        )
    if before.applies_from != after.applies_from:
        what.append(
            "Applies from: "
            + " → ".join(
                FinancialYear(y).label if y is not None else "the charter's first year"
                for y in (before.applies_from, after.applies_from)
            )
        )
    for name, label in (
        ("frequency", "Reported"),
        ("unit", "Unit"),
        ("code", "Code"),
        ("title", "Title"),
    ):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            what.append(f"{label}: {old or '(none)'} → {new or '(none)'}")
    return tuple(what) or (f"Version {after.version}",)


def _describe_setting(change: CharterSettingChange) -> str:
    label = SETTING_NAMES.get(change.setting, change.setting)
    old, new = change.old_value, change.new_value
    if change.setting in ("at_risk_below", "off_track_below"):
        old, new = _percent(old), _percent(new)
    return f"Charter: {label}: {old} → {new}"


def setting_change_text(change: CharterSettingChange) -> str:
    """One line of the charter page's list of setting changes, naming who and how."""
    person = str(change.changed_by) if change.changed_by_id else ""
    who = person or change.changed_via or "Someone"
    how = f" ({change.changed_via})" if person and change.changed_via else ""
    if change.setting == "self_approval_allowed":
        verb = "allowed" if change.new_value == "yes" else "stopped"
        return f"{who} {verb} leads approving values they recorded themselves{how}"
    label = SETTING_NAMES.get(change.setting, change.setting)
    old, new = change.old_value, change.new_value
    if change.setting in ("at_risk_below", "off_track_below"):
        old, new = _percent(old), _percent(new)
    return f"{who} changed {label.lower()} from {old} to {new}{how}"


def indicator_changes(indicator: Indicator, *, year: FinancialYear) -> list[Change]:
    """Every version of the indicator's target and settings, and every change of its
    charter's thresholds and approval rule, newest first, each with who and when; changes
    made together (one save) are one entry."""
    entries: list[tuple[datetime, str, str]] = []
    before = None
    for version in indicator.versions.select_related("changed_by").order_by("version"):
        for line in _describe_version(before, version, year):
            entries.append((version.changed_at, _who(version), line))
        before = version
    for change in CharterSettingChange.objects.filter(
        charter_id=indicator.charter_id,
        setting__in=["at_risk_below", "off_track_below", "self_approval_allowed"],
    ).select_related("changed_by"):
        entries.append((change.changed_at, _who(change), _describe_setting(change)))
    grouped: dict[tuple[datetime, str], list[str]] = {}
    for changed_at, who, line in entries:
        grouped.setdefault((changed_at, who), []).append(line)
    # Newest first; of changes made in the same second, the one saved last first.
    ordered = sorted(enumerate(grouped.items()), key=lambda e: (e[1][0][0], e[0]), reverse=True)
    return [Change(changed_at, who, tuple(lines)) for _, ((changed_at, who), lines) in ordered]
