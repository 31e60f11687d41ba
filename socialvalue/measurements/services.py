"""Writes to progress: recording values, corrections, evidence and approval."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from socialvalue.charters.models import Indicator
from socialvalue.domain import bounds
from socialvalue.domain.earlier import CITATION_MAX_LENGTH, earlier_period_problem, earlier_years
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.status import MilestoneState, Status
from socialvalue.domain.targets import shape_of
from socialvalue.measurements.evidence import check_evidence
from socialvalue.measurements.models import Evidence, Measurement, Review, ReviewState
from socialvalue.organisations.access import has_role
from socialvalue.organisations.models import Organisation, Role, User
from socialvalue.sources.models import Source
from socialvalue.sources.services import source_typed


class CorrectionNeedsReason(ValueError):
    """A value for the period exists, so the new one is a correction and needs a reason."""


@dataclass(frozen=True)
class Reading:
    """What a person records for one period; which fields apply depends on the shape of the
    indicator's readings (socialvalue/domain/shapes.py)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: dict = field(default_factory=dict)
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def reading_out_of_bounds(reading: Reading) -> list[str]:
    """What no stored value may be, whoever records it (a form, an import): a figure beyond
    bounds.py's limits, or a date outside its years. Forms say more (a count is whole)."""
    figures: list[tuple[str, object]] = [
        ("value", reading.value),
        ("numerator", reading.numerator),
        ("denominator", reading.denominator),
    ]
    for key, part in reading.parts.items():
        if isinstance(part, dict):
            figures += [(f"parts.{key}.{name}", figure) for name, figure in part.items()]
        else:
            figures.append((f"parts.{key}", part))
    problems = []
    for name, figure in figures:
        if figure is None:
            continue
        number = bounds.read_decimal(figure)
        problem = "must be a number" if number is None else bounds.SIGNED_AMOUNT.problem(number)
        if problem:
            problems.append(f"{name} {problem}")
    if reading.achieved_on is not None and (problem := bounds.date_problem(reading.achieved_on)):
        problems.append(f"achieved_on {problem}")
    return problems


def organisations_reporting_on(indicator: Indicator) -> list[Organisation]:
    """Who may hold values for an indicator: the charter's organisation, and on a group's
    charter each member trust too."""
    return indicator.charter.organisation.with_members()


def recordable_periods(indicator: Indicator, *, today: date) -> list[Period]:
    """The periods of the charter's reporting years, at the indicator's frequency, that have
    begun: values may be recorded during a period as well as after it."""
    return [
        period
        for reporting in indicator.charter.periods.all()
        for period in reporting.year.periods(indicator.frequency)
        if period.start <= today
    ]


def charter_first_year(charter) -> FinancialYear | None:
    """The charter's first reporting year (None for a charter with no years yet)."""
    years = [p.start_year for p in charter.periods.all()]
    return FinancialYear(min(years)) if years else None


def indicator_earlier_years(
    indicator: Indicator,
    *,
    year: FinancialYear | None = None,
    first_year: FinancialYear | None = None,
):
    """The years before the charter's first (`first_year`, looked up when not given) whose
    figure the indicator's target is built on (for `year`, those that year's goal needs);
    see socialvalue/domain/earlier.py."""
    first_year = first_year or charter_first_year(indicator.charter)
    if first_year is None:
        return ()
    return earlier_years(indicator.target, first_year=first_year, year=year)


def citation_problem(citation: str, year_label: str) -> str | None:
    """Why a citation for an earlier year's figure will not do, or None."""
    if not citation.strip():
        return (
            f"Enter where the {year_label} figure was published: "
            "the document, page or link it comes from"
        )
    if len(citation.strip()) > CITATION_MAX_LENGTH:
        return f"Where it was published must be {CITATION_MAX_LENGTH:,} characters or fewer"
    return None


def usual_period(periods: list[Period], *, today: date) -> Period:
    """The period a value is usually recorded for: the latest that has ended."""
    ended = [p for p in periods if p.end < today]
    return (ended or periods)[-1]


def can_record(user: User, indicator: Indicator, organisation: Organisation) -> bool:
    if organisation not in organisations_reporting_on(indicator):
        return False
    if has_role(user, organisation, Role.LEAD):
        return True
    # A group's lead records for the member trusts on the group's own charters (and
    # reviews their values, see review_refusal), choosing the organisation each time.
    charter_organisation = indicator.charter.organisation
    if organisation.parent_id == charter_organisation.pk and has_role(
        user, charter_organisation, Role.LEAD
    ):
        return True
    return indicator.owner_id == user.pk and has_role(user, organisation, Role.CONTRIBUTOR)


def review_refusal(user: User, measurement: Measurement) -> str | None:
    """Why the user may not approve or return the value, or None if they may.

    A lead reviews values for their own organisation, and a group's lead those its member
    trusts record on the group's charters. Four eyes: nobody reviews a value they recorded,
    unless the charter allows it for a one-person team."""
    charter = measurement.indicator.charter
    if not (
        has_role(user, measurement.organisation, Role.LEAD)
        or has_role(user, charter.organisation, Role.LEAD)
    ):
        return "Only a social value lead can approve or return values"
    if measurement.recorded_by_id == user.pk and not charter.self_approval_allowed:
        return "You recorded this value: someone else must approve or return it"
    return None


def can_review(user: User, measurement: Measurement) -> bool:
    return review_refusal(user, measurement) is None


def measurement_record(
    *,
    actor: User,
    indicator: Indicator,
    organisation: Organisation,
    period: Period,
    reading: Reading,
    note: str = "",
    evidence: list[Upload] = (),
    reason: str = "",
    source: Source | None = None,
    citation: str = "",
) -> Measurement:
    """Record a value for a period; if one exists, this is a correction and needs a reason.

    `source` is where the value came from, unsaved (a values-sheet row, say); without one
    the value was typed in by `actor`, with `citation` saying where it was published.
    A figure for a year before the charter's first is recorded only for a year the target is
    built on, as one figure for the whole year, and with where it was published (`citation`,
    or the source's): ADR 020.
    All or nothing: a rejected evidence file leaves no measurement behind.
    """
    if not can_record(actor, indicator, organisation):
        raise PermissionDenied("You cannot record values for this indicator")
    first_year = charter_first_year(indicator.charter)
    if first_year is not None and period.start < first_year.start:
        # A year before the charter's: only one the target is built on, as a whole-year
        # figure, with where it was published (ADR 020).
        problem = earlier_period_problem(
            indicator.target, period, first_year=first_year, code=indicator.code
        )
        if problem:
            raise ValueError(problem)
        given = source.citation if source is not None else citation
        if problem := citation_problem(given, period.financial_year.label):
            raise ValueError(problem)
    elif period.frequency != indicator.frequency_enum:
        raise ValueError(
            f"{indicator.code} is reported {indicator.frequency}, not {period.frequency}"
        )
    if problems := reading_out_of_bounds(reading):
        raise ValueError("; ".join(problems))
    shape = shape_of(indicator.target)
    if stray := shape.stray_fields(reading):
        raise ValueError(
            f"{' and '.join(stray)} {'does' if len(stray) == 1 else 'do'} not apply to "
            f"{indicator.code}, which records {shape.label}"
        )
    max_bytes = settings.EVIDENCE_MAX_MB * 1024 * 1024
    checked = [
        (
            check_evidence(
                name=u.name, head=u.content[:8192], size=len(u.content), max_bytes=max_bytes
            ),
            u,
        )
        for u in evidence
    ]
    with transaction.atomic():
        _versions, latest = _locked_versions(indicator, organisation, period)
        # Resubmitting a value returned for changes is what was asked for, not a correction.
        if latest is not None and latest.state != ReviewState.RETURNED and not reason.strip():
            raise CorrectionNeedsReason(
                f"A value for {period.label} is already recorded: give a reason for the correction"
            )
        if source is None:
            source = source_typed(actor=actor, organisation=organisation, citation=citation)
        source.save()
        measurement = Measurement.objects.create(
            indicator=indicator,
            organisation=organisation,
            frequency=period.frequency.value,
            period_start=period.start,
            period_end=period.end,
            version=(latest.version + 1) if latest else 1,
            supersedes=latest,
            reason=reason.strip(),
            note=note,
            source=source,
            recorded_by=actor,
            **_reading_fields(reading),
        )
        for result, upload in checked:
            evidence_attach(
                actor=actor,
                measurement=measurement,
                name=result.name,
                content=upload.content,
                content_type=result.content_type,
            )
    return measurement


def _locked_versions(indicator: Indicator, organisation: Organisation, period: Period):
    """The versions recorded for the period, and the newest, with the indicator's row locked
    so two writers at once get distinct versions. Call inside a transaction."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    versions = Measurement.objects.filter(
        indicator=indicator,
        organisation=organisation,
        period_start=period.start,
        period_end=period.end,
    )
    return versions, versions.order_by("-version").first()


def _reading_fields(reading: Reading) -> dict:
    return {
        "value": reading.value,
        "numerator": reading.numerator,
        "denominator": reading.denominator,
        "parts": {k: _jsonable(v) for k, v in reading.parts.items()},
        "milestone_state": reading.milestone_state.value if reading.milestone_state else "",
        "achieved_on": reading.achieved_on,
        "self_status": reading.self_status.value if reading.self_status else "",
        "narrative": reading.narrative,
    }


def measurement_compute(
    *,
    indicator: Indicator,
    organisation: Organisation,
    period: Period,
    reading: Reading,
    source: Source,
    reason: str = "",
) -> Measurement | None:
    """Store a value a computation worked out, on its own: no person types it or approves it.

    `source` (unsaved) names the computation, its version and inputs. The first value for
    the period is version 1; when the reading, the computation's version or its inputs
    differ from the value that counts now, the new figure is a new version with a reason
    the system writes ("Recomputed from import 12", or `reason` when what changed is not an
    import: "Recomputed: the local area changed"); when nothing differs, nothing is
    stored and None is returned. A computed value is approved when recorded (ADR 025).
    """
    if indicator.source != "computed" or indicator.computation != source.computation:
        raise ValueError(
            f"{indicator.code} is not computed by {source.computation or 'this source'}"
        )
    first_year = charter_first_year(indicator.charter)
    if first_year is not None and period.start < first_year.start:
        # A year the target is built on, as a whole-year figure (ADR 020); its source is the
        # import it was computed from, so it needs no published citation.
        if problem := earlier_period_problem(
            indicator.target, period, first_year=first_year, code=indicator.code
        ):
            raise ValueError(problem)
    elif period.frequency != indicator.frequency_enum:
        raise ValueError(
            f"{indicator.code} is reported {indicator.frequency}, not {period.frequency}"
        )
    if problems := reading_out_of_bounds(reading):
        raise ValueError("; ".join(problems))
    fields = _reading_fields(reading)
    with transaction.atomic():
        versions, latest = _locked_versions(indicator, organisation, period)
        current = versions.counted().select_related("source").first()
        if current is not None and current == latest and _same_computation(current, fields, source):
            return None
        source.save()
        what = f"import {source.import_record_id}" if source.import_record_id else source.label
        return Measurement.objects.create(
            indicator=indicator,
            organisation=organisation,
            frequency=period.frequency.value,
            period_start=period.start,
            period_end=period.end,
            version=(latest.version + 1) if latest else 1,
            supersedes=latest,
            reason=(reason or f"Recomputed from {what}") if latest else "",
            source=source,
            recorded_by=None,
            state=ReviewState.APPROVED,
            **fields,
        )


def _same_computation(current: Measurement, fields: dict, source: Source) -> bool:
    stored = current.source
    if (stored.computation, stored.computation_version, stored.inputs, stored.factor_set) != (
        source.computation,
        source.computation_version,
        source.inputs,
        source.factor_set,
    ):
        return False
    for name, value in fields.items():
        held = getattr(current, name)
        if name == "parts":
            if _decimals(held) != _decimals(value):
                return False
        elif isinstance(value, Decimal) and held is not None:
            if Decimal(held) != value:
                return False
        elif held != value:
            return False
    return True


def evidence_attach(
    *, actor: User, measurement: Measurement, name: str, content: bytes, content_type: str
) -> Evidence:
    digest = hashlib.sha256(content).hexdigest()
    item = Evidence(
        measurement=measurement,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        uploaded_by=actor,
    )
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def measurement_approve(*, actor: User, measurement: Measurement, comment: str = "") -> Review:
    return _review(
        actor=actor, measurement=measurement, decision=Review.Decision.APPROVED, comment=comment
    )


@dataclass(frozen=True)
class BulkApproval:
    approved: list[Measurement]
    refused: list[tuple[Measurement, str]]  # each with why, in the words a person reads


def measurement_approve_many(*, actor: User, measurements: list[Measurement]) -> BulkApproval:
    """Approve several values under the same rules as one by one (four eyes, newest version
    only). Each is approved in its own transaction and reported: one refusal does not undo
    the others, and every refusal says why."""
    approved, refused = [], []
    for measurement in measurements:
        try:
            measurement_approve(actor=actor, measurement=measurement)
        except (PermissionDenied, ValueError) as error:
            refused.append((measurement, str(error)))
        else:
            approved.append(measurement)
    return BulkApproval(approved=approved, refused=refused)


def measurement_return(*, actor: User, measurement: Measurement, comment: str) -> Review:
    if not comment.strip():
        raise ValueError("Enter a comment saying what needs to change")
    return _review(
        actor=actor, measurement=measurement, decision=Review.Decision.RETURNED, comment=comment
    )


def _review(*, actor, measurement, decision, comment) -> Review:
    refusal = review_refusal(actor, measurement)
    if refusal:
        raise PermissionDenied(refusal)
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
        if locked.state != ReviewState.SUBMITTED:
            raise ValueError(f"This value has already been {locked.get_state_display().lower()}")
        newer = (
            Measurement.objects.filter(
                indicator_id=locked.indicator_id,
                organisation_id=locked.organisation_id,
                period_start=locked.period_start,
                period_end=locked.period_end,
                version__gt=locked.version,
            )
            .order_by("-version")
            .first()
        )
        if newer is not None:
            raise ValueError(
                f"{locked} is superseded by version {newer.version}: "
                "only the newest version can be approved or returned"
            )
        review = Review.objects.create(
            measurement=locked, decision=decision, comment=comment.strip(), reviewed_by=actor
        )
        locked.state = decision
        locked.save(update_fields=["state"])
    measurement.state = locked.state
    return review


def _decimals(value):
    """Parts as numbers, so "12.5" and "12.50" are the same figure."""
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    return None if value is None else Decimal(str(value))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value
