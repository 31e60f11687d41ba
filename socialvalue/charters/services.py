"""Writes to charters. Views, forms and commands call these; nothing else writes charters."""

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from socialvalue.charters.models import (
    Charter,
    CharterSettingChange,
    Indicator,
    IndicatorVersion,
    Pledge,
    ReportingPeriod,
    Theme,
)
from socialvalue.domain.charterfile import CharterSpec, IndicatorSpec, PledgeSpec, ThemeSpec
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.status import Thresholds
from socialvalue.domain.targets import Target, orphan_message, parse_target, reading_change
from socialvalue.organisations.access import require_role
from socialvalue.organisations.models import Organisation, Role, User


class CharterLoadError(Exception):
    """The charter file is well formed but cannot be applied to this database."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# How a change was made, kept beside who made it (ADR 021).
WEB_FORM = "web form"


def charter_file_via(name: str) -> str:
    """How a change from a loaded charter file is described: "charter file NAME"."""
    return f"charter file {name}" if name else "charter file"


class TargetChangeRefused(ValueError):
    """A new target would orphan the values already recorded for the indicator."""


@dataclass(frozen=True)
class LoadResult:
    charter: Charter
    created: bool
    changed: int  # rows created, updated or deleted


def charter_create(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    title: str,
    years: list[FinancialYear],
    definition: str = "",
    mission: str = "",
    thresholds: Thresholds | None = None,
) -> Charter:
    require_role(actor, organisation, Role.LEAD)
    thresholds = thresholds or Thresholds()
    with transaction.atomic():
        charter = Charter.objects.create(
            organisation=organisation,
            code=code,
            title=title,
            definition=definition,
            mission=mission,
            at_risk_below=thresholds.at_risk,
            off_track_below=thresholds.off_track,
            thresholds_set=thresholds != Thresholds(),
        )
        ReportingPeriod.objects.bulk_create(
            [ReportingPeriod(charter=charter, start_year=y.start_year) for y in years]
        )
    return charter


def charter_update(
    *,
    actor: User,
    charter: Charter,
    title: str,
    years: list[FinancialYear],
    definition: str,
    mission: str,
    thresholds: Thresholds,
    self_approval_allowed: bool | None = None,
) -> Charter:
    require_role(actor, charter.organisation, Role.LEAD)
    with transaction.atomic():
        if self_approval_allowed is not None:
            charter_set_self_approval(actor=actor, charter=charter, allowed=self_approval_allowed)
        before = _tracked_settings(charter)
        charter.title = title
        charter.definition = definition
        charter.mission = mission
        charter.at_risk_below = thresholds.at_risk
        charter.off_track_below = thresholds.off_track
        charter.thresholds_set = charter.thresholds_set or thresholds != Thresholds()
        charter.save()
        _sync_periods(charter, years)
        _record_setting_changes(charter, before, actor=actor, via=WEB_FORM)
    return charter


def charter_set_self_approval(*, actor: User, charter: Charter, allowed: bool) -> Charter:
    """Allow or forbid a lead approving values they recorded (four eyes is the default);
    a change is kept in the charter's history with who made it and when."""
    require_role(actor, charter.organisation, Role.LEAD)
    with transaction.atomic():
        if charter.self_approval_allowed == allowed:
            return charter
        CharterSettingChange.objects.create(
            charter=charter,
            setting="self_approval_allowed",
            old_value=_yes_no(charter.self_approval_allowed),
            new_value=_yes_no(allowed),
            changed_by=actor,
            changed_via=WEB_FORM,
            changed_at=timezone.now(),
        )
        charter.self_approval_allowed = allowed
        charter.save(update_fields=["self_approval_allowed", "updated_at"])
    return charter


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _tracked_settings(charter: Charter) -> dict[str, str]:
    """The charter settings whose every change is kept, as text (charters.history reads
    them back). A charter not saved yet has none."""
    if charter.pk is None:
        return {}
    return {
        "title": charter.title,
        "at_risk_below": str(charter.at_risk_below),
        "off_track_below": str(charter.off_track_below),
        "reporting_years": ", ".join(
            FinancialYear(y).label
            for y in sorted(charter.periods.values_list("start_year", flat=True))
        ),
    }


def _record_setting_changes(
    charter: Charter, before: dict[str, str], *, actor: User | None, via: str
) -> int:
    """Keep a row for each tracked setting that differs from `before` (ADR 021)."""
    if not before:
        return 0
    charter.refresh_from_db(fields=["at_risk_below", "off_track_below", "title"])
    after = _tracked_settings(charter)
    now = timezone.now()
    changes = [
        CharterSettingChange(
            charter=charter,
            setting=name,
            old_value=before[name],
            new_value=value,
            changed_by=actor,
            changed_via=via,
            changed_at=now,
        )
        for name, value in after.items()
        if before[name] != value
    ]
    CharterSettingChange.objects.bulk_create(changes)
    return len(changes)


def _normalised(value):
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def record_indicator_version(
    indicator: Indicator, *, actor: User | None, via: str
) -> IndicatorVersion | None:
    """Add a version of the indicator if its target, profile, years, frequency, unit or
    names differ from its newest version (or it has none); None if nothing changed."""
    fields = {name: getattr(indicator, name) for name in IndicatorVersion.FIELDS}
    last = indicator.versions.order_by("-version").first()
    if last is not None and all(
        _normalised(getattr(last, name)) == _normalised(value) for name, value in fields.items()
    ):
        return None
    return IndicatorVersion.objects.create(
        indicator=indicator,
        version=last.version + 1 if last else 1,
        changed_by=actor,
        changed_via=via,
        changed_at=timezone.now(),
        **{name: _normalised(value) for name, value in fields.items()},
    )


def theme_save(
    *,
    actor: User,
    charter: Charter,
    theme: Theme | None = None,
    code: str,
    title: str,
    description: str = "",
    social_value_model: list[str] = (),
    net_zero: list[str] = (),
) -> Theme:
    require_role(actor, charter.organisation, Role.LEAD)
    if theme is None:
        theme = Theme(charter=charter, position=charter.themes.count())
    theme.code, theme.title, theme.description = code, title, description
    theme.social_value_model, theme.net_zero = list(social_value_model), list(net_zero)
    theme.save()
    return theme


def pledge_save(
    *, actor: User, theme: Theme, pledge: Pledge | None = None, code: str, text: str
) -> Pledge:
    require_role(actor, theme.charter.organisation, Role.LEAD)
    if pledge is None:
        pledge = Pledge(theme=theme, position=theme.pledges.count())
    pledge.code, pledge.text = code, text
    pledge.save()
    return pledge


def indicator_save(
    *,
    actor: User,
    pledge: Pledge,
    indicator: Indicator | None = None,
    code: str,
    title: str,
    description: str = "",
    unit: str = "",
    frequency: str,
    source: str,
    method: str = "",
    computation: str = "",
    owner: User | None = None,
    target_kind: str,
    target_params: dict,
    profile: list = (),
    applies_from: int | None = None,
) -> Indicator:
    charter = pledge.theme.charter
    require_role(actor, charter.organisation, Role.LEAD)
    # Normalise through the domain so what is stored always parses back.
    target = parse_target(target_kind, target_params)
    if indicator is not None and (refusal := target_change_refusal(indicator, target)):
        raise TargetChangeRefused(refusal)
    if indicator is None:
        indicator = Indicator(charter=charter, position=charter.indicators.count())
    indicator.pledge = pledge
    indicator.charter = charter
    indicator.code, indicator.title, indicator.description = code, title, description
    indicator.unit, indicator.frequency, indicator.source = unit, frequency, source
    indicator.method, indicator.owner = method, owner
    indicator.computation = computation if source == "computed" else ""
    indicator.target_kind, indicator.target_params = target.kind.value, target.to_params()
    indicator.profile = [str(f) for f in profile]
    indicator.applies_from = applies_from
    with transaction.atomic():
        indicator.save()
        record_indicator_version(indicator, actor=actor, via=WEB_FORM)
    return indicator


def target_change_refusal(indicator: Indicator, target: Target) -> str | None:
    """Why `target` may not replace the indicator's, or None: once values are recorded, a
    change of kind or of reading shape (or parts taken away) would orphan them (ADR 019)."""
    if indicator.pk is None:
        return None
    change = reading_change(indicator.target, target)
    if change is None:
        return None
    values = recorded_values(indicator)
    return orphan_message(indicator.code, change, values) if values else None


def recorded_values(indicator: Indicator) -> int:
    """How many values are recorded for the indicator: one per organisation and period,
    however many versions each has."""
    return (
        indicator.measurements.values("organisation_id", "period_start", "period_end")
        .distinct()
        .count()
    )


# Charter files ---------------------------------------------------------------------------


def charter_load_spec(*, spec: CharterSpec, actor: User | None = None, via: str = "") -> LoadResult:
    """Create or update the charter a file describes, matching rows by their codes.

    Loading the same file twice changes nothing. Themes, pledges and indicators missing
    from the file are removed, unless an indicator already has recorded values: then the
    load is refused, so no history is ever lost by editing a file. So is a change of an
    indicator's kind or reading shape once it has values (ADR 019). A refused load changes
    nothing.

    Every change of a kept setting or of an indicator's target is recorded as a new version
    with `actor` (who ran the load; None from the command line) and `via` (how: "charter
    file NAME", see charter_file_via).
    """
    via = via or charter_file_via("")
    organisation = Organisation.objects.filter(code=spec.organisation).first()
    if organisation is None:
        raise CharterLoadError(
            [
                f"organisation: no organisation with code {spec.organisation}; add it first "
                f"with `socialvalue org add {spec.organisation}` (or, for a group, "
                f"`socialvalue org add-group {spec.organisation} --name NAME --members CODE…`)"
            ]
        )
    owners = _owners_by_email(spec)
    changed = 0
    refused: list[str] = []
    with transaction.atomic():
        charter = Charter.objects.filter(code__iexact=spec.code).first()
        if charter is not None and charter.code != spec.code:
            raise CharterLoadError(
                [
                    f"code: charter codes are matched ignoring case, and {charter.code} "
                    f"already exists: write {charter.code} to update it, or choose another code"
                ]
            )
        created = charter is None
        if created:
            charter = Charter(code=spec.code)
        before = _tracked_settings(charter)
        fields = {
            "title": spec.title,
            "organisation": organisation,
            "definition": spec.definition,
            "mission": spec.mission,
            "source": spec.source,
            **_threshold_fields(spec.thresholds),
        }
        changed += _assign(charter, fields)
        if charter._state.adding or changed:
            charter.save()
        changed += _sync_periods(charter, [FinancialYear.parse(p) for p in spec.periods])
        _record_setting_changes(charter, before, actor=actor, via=via)

        kept_indicators: set[int] = set()
        kept_themes: set[int] = set()
        kept_pledges: set[int] = set()
        themes = {t.code: t for t in charter.themes.all()}
        pledges = {
            (p.theme.code, p.code): p
            for p in Pledge.objects.filter(theme__charter=charter).select_related("theme")
        }
        indicators = {i.code: i for i in charter.indicators.all()}
        position = 0
        for theme_position, theme_spec in enumerate(spec.themes):
            theme = themes.get(theme_spec.code) or Theme(charter=charter, code=theme_spec.code)
            changed += _save_if_changed(theme, _theme_fields(theme_spec, theme_position))
            kept_themes.add(theme.pk)
            for pledge_position, pledge_spec in enumerate(theme_spec.pledges):
                pledge = pledges.get((theme_spec.code, pledge_spec.code)) or Pledge(
                    theme=theme, code=pledge_spec.code
                )
                changed += _save_if_changed(
                    pledge, {"text": pledge_spec.text, "position": pledge_position}
                )
                kept_pledges.add(pledge.pk)
                for indicator_spec in pledge_spec.indicators:
                    indicator = indicators.get(indicator_spec.code) or Indicator(
                        charter=charter, code=indicator_spec.code
                    )
                    if refusal := target_change_refusal(indicator, indicator_spec.target):
                        refused.append(f"indicators: {refusal}")
                    fields = _indicator_fields(indicator_spec, pledge, position, owners)
                    if _save_if_changed(indicator, fields):
                        changed += 1
                        record_indicator_version(indicator, actor=actor, via=via)
                    kept_indicators.add(indicator.pk)
                    position += 1
        try:
            changed += _delete_missing(charter, kept_themes, kept_pledges, kept_indicators)
        except CharterLoadError as error:
            refused.extend(error.problems)
        if refused:
            # Raised inside the transaction: everything this load wrote is rolled back.
            raise CharterLoadError(refused)
    return LoadResult(charter=charter, created=created, changed=changed)


def charter_to_spec(charter: Charter) -> CharterSpec:
    themes = []
    pledges_by_theme: dict[int, list[Pledge]] = {}
    indicators_by_pledge: dict[int, list[Indicator]] = {}
    for pledge in Pledge.objects.filter(theme__charter=charter):
        pledges_by_theme.setdefault(pledge.theme_id, []).append(pledge)
    for indicator in charter.indicators.select_related("owner"):
        indicators_by_pledge.setdefault(indicator.pledge_id, []).append(indicator)
    for theme in charter.themes.all():
        themes.append(
            ThemeSpec(
                code=theme.code,
                title=theme.title,
                description=theme.description,
                social_value_model=tuple(theme.social_value_model),
                net_zero=tuple(theme.net_zero),
                pledges=tuple(
                    PledgeSpec(
                        code=p.code,
                        text=p.text,
                        indicators=tuple(
                            _indicator_spec(i) for i in indicators_by_pledge.get(p.pk, [])
                        ),
                    )
                    for p in pledges_by_theme.get(theme.pk, [])
                ),
            )
        )
    return CharterSpec(
        code=charter.code,
        title=charter.title,
        organisation=charter.organisation.code,
        periods=tuple(p.year.label for p in charter.periods.all()),
        themes=tuple(themes),
        definition=charter.definition,
        mission=charter.mission,
        source=charter.source,
        thresholds=(
            {"at_risk": charter.at_risk_below, "off_track": charter.off_track_below}
            if charter.thresholds_set
            else None
        ),
    )


def _indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        code=indicator.code,
        title=indicator.title,
        unit=indicator.unit,
        frequency=indicator.frequency,
        source=indicator.source,
        target=indicator.target,
        description=indicator.description,
        owner=indicator.owner.email if indicator.owner else "",
        method=indicator.method,
        computation=indicator.computation,
        applies_from=indicator.applies_from_year.label if indicator.applies_from_year else "",
    )


def _threshold_fields(thresholds) -> dict:
    if not thresholds:
        defaults = Thresholds()
        return {
            "at_risk_below": defaults.at_risk,
            "off_track_below": defaults.off_track,
            "thresholds_set": False,
        }
    return {
        "at_risk_below": thresholds["at_risk"],
        "off_track_below": thresholds["off_track"],
        "thresholds_set": True,
    }


def _theme_fields(spec: ThemeSpec, position: int) -> dict:
    return {
        "title": spec.title,
        "description": spec.description,
        "social_value_model": list(spec.social_value_model),
        "net_zero": list(spec.net_zero),
        "position": position,
    }


def _indicator_fields(spec: IndicatorSpec, pledge: Pledge, position: int, owners) -> dict:
    return {
        "pledge": pledge,
        "title": spec.title,
        "description": spec.description,
        "unit": spec.unit,
        "frequency": str(spec.frequency),
        "source": spec.source,
        "method": spec.method,
        "computation": spec.computation,
        "target_kind": spec.target.kind.value,
        "target_params": spec.target.to_params(),
        "position": position,
        "applies_from": (
            FinancialYear.parse(spec.applies_from).start_year if spec.applies_from else None
        ),
        # A file without an owner leaves the one set in the app: owners are often assigned
        # after a charter is loaded, and reloading the file must not undo that.
        **({"owner": owners[spec.owner.lower()]} if spec.owner else {}),
    }


def _owners_by_email(spec: CharterSpec) -> dict[str, User]:
    emails = {
        i.owner.lower() for t in spec.themes for p in t.pledges for i in p.indicators if i.owner
    }
    # Emails differ in case between systems: match them ignoring case.
    found = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    missing = sorted(emails - found.keys())
    if missing:
        raise CharterLoadError([f"owner: no user with email {email}" for email in missing])
    return found


def _assign(instance, fields: dict) -> int:
    changed = 0
    for name, value in fields.items():
        if instance._state.adding or getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed = 1
    return changed


def _save_if_changed(instance, fields: dict) -> int:
    changed = _assign(instance, fields)
    if instance._state.adding or changed:
        instance.save()
        return 1
    return 0


def _sync_periods(charter: Charter, years: list[FinancialYear]) -> int:
    wanted = {y.start_year for y in years}
    existing = set(charter.periods.values_list("start_year", flat=True))
    ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(charter=charter, start_year=y) for y in sorted(wanted - existing)]
    )
    removed, _ = charter.periods.filter(start_year__in=existing - wanted).delete()
    return len(wanted - existing) + removed


def _delete_missing(charter: Charter, themes: set, pledges: set, indicators: set) -> int:
    stale = charter.indicators.exclude(pk__in=indicators)
    with_values = list(
        stale.filter(measurements__isnull=False).distinct().values_list("code", flat=True)
    )
    if with_values:
        raise CharterLoadError(
            [
                f"indicators: {code} has recorded values and cannot be removed by a file; "
                "keep it in the file"
                for code in with_values
            ]
        )
    removed = stale.delete()[0]
    removed += Pledge.objects.filter(theme__charter=charter).exclude(pk__in=pledges).delete()[0]
    removed += charter.themes.exclude(pk__in=themes).delete()[0]
    return removed
