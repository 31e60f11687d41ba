"""Recorded progress. Values are append-only: a correction is a new version (ADR 004)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q

from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.periods import Frequency, Period
from socialvalue.domain.status import MilestoneState, Observation, Status
from socialvalue.organisations.access import organisations_led_by
from socialvalue.organisations.models import Organisation, reach_of


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class MeasurementQuerySet(models.QuerySet):
    def for_user(self, user) -> "MeasurementQuerySet":
        """Values the user may read: on charters they see, every state for the
        organisations they see in full, and approved values only for the rest (a member
        trust's siblings and its group; see Organisation.objects.seen_in_full_by)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # The organisations' ids, not subqueries: cheaper for the database to plan.
        return self.filter(
            indicator__charter__organisation_id__in=reach_of(user).readable
        ).readable_by(user)

    def readable_by(self, user) -> "MeasurementQuerySet":
        """Of values on charters the user sees (`for_charter` on a charter fetched through
        `get_charter`, or `for_user`), those they may read: every state for the
        organisations they see in full, approved values for the rest. One join fewer than
        `for_user` for a page that has its charter already."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(state=ReviewState.APPROVED) | Q(organisation_id__in=reach_of(user).in_full)
        )

    def seen_in_full_by(self, user) -> "MeasurementQuerySet":
        """Values whose notes, review comments and evidence the user may read."""
        return self.filter(organisation__in=Organisation.objects.seen_in_full_by(user))

    def for_charter(self, charter: Charter) -> "MeasurementQuerySet":
        return self.filter(indicator__charter=charter)

    def waiting(self) -> "MeasurementQuerySet":
        return self.filter(state=ReviewState.SUBMITTED)

    def reviewable_by(self, user) -> "MeasurementQuerySet":
        """Values the user may approve or return: a lead reviews values for their own
        organisation, and a group's lead those its member trusts record on the group's
        charters; nobody reviews a value they recorded unless the charter allows it (four
        eyes). The same rule as services.review_refusal, for lists."""
        led = organisations_led_by(user)
        return self.filter(
            Q(organisation__in=led) | Q(indicator__charter__organisation__in=led)
        ).exclude(Q(recorded_by=user) & Q(indicator__charter__self_approval_allowed=False))

    def newest(self) -> "MeasurementQuerySet":
        """Only the newest version of each value: none recorded since for its period."""
        return self.filter(~models.Exists(_newer_versions()))

    def with_newest_version(self) -> "MeasurementQuerySet":
        """Annotate `newest_version` and `newest_state`: the newest version recorded for the
        same indicator, organisation and period (`version` itself unless superseded)."""
        newest = Measurement.objects.filter(
            indicator=OuterRef("indicator"),
            organisation=OuterRef("organisation"),
            period_start=OuterRef("period_start"),
            period_end=OuterRef("period_end"),
        ).order_by("-version")
        return self.annotate(
            newest_version=models.Subquery(newest.values("version")[:1]),
            newest_state=models.Subquery(newest.values("state")[:1]),
        )

    def awaiting_decision(self) -> "MeasurementQuerySet":
        """Waiting values to list for review: the newest version of each, and an older
        waiting one (shown as superseded) only while a newer version waits too."""
        return (
            self.waiting()
            .with_newest_version()
            .filter(Q(newest_version=models.F("version")) | Q(newest_state=ReviewState.SUBMITTED))
        )

    def counted(self) -> "MeasurementQuerySet":
        """The value that counts for each indicator, organisation and period: the newest
        approved version. A pending correction does not displace the approved value."""
        newer_approved = Measurement.objects.filter(
            indicator=OuterRef("indicator"),
            organisation=OuterRef("organisation"),
            period_start=OuterRef("period_start"),
            period_end=OuterRef("period_end"),
            state=ReviewState.APPROVED,
            version__gt=OuterRef("version"),
        )
        return self.filter(state=ReviewState.APPROVED).filter(~models.Exists(newer_approved))

    # As known at a moment (ADR 021). Review rows date each decision; a value approved or
    # returned with no Review row (made outside the services) is taken as decided when it
    # was recorded.

    def recorded_by_moment(self, moment) -> "MeasurementQuerySet":
        """Versions recorded by `moment`."""
        return self.filter(recorded_at__lte=moment)

    def approved_by_moment(self, moment) -> "MeasurementQuerySet":
        """Versions recorded and approved by `moment`."""
        return self.recorded_by_moment(moment).filter(_decided_by(moment, ReviewState.APPROVED))

    def waiting_at(self, moment) -> "MeasurementQuerySet":
        """Versions recorded by `moment` with no decision yet at `moment`, and no newer
        version recorded by then (only the newest version can be decided)."""
        decided = _decided_by(moment, ReviewState.APPROVED) | _decided_by(
            moment, ReviewState.RETURNED
        )
        newer = _newer_versions().filter(recorded_at__lte=moment)
        return self.recorded_by_moment(moment).exclude(decided).filter(~models.Exists(newer))

    def not_returned_at(self, moment) -> "MeasurementQuerySet":
        """Versions recorded by `moment` and not returned by then: their period counts as
        recorded (for overdue periods) at `moment`."""
        return self.recorded_by_moment(moment).exclude(_decided_by(moment, ReviewState.RETURNED))


def _decided_by(moment, decision: str) -> Q:
    """The value was approved (or returned) by `moment`: a Review says so, or, with no
    Review at all, its state does and it was recorded by then."""
    reviews = Review.objects.filter(measurement=OuterRef("pk"))
    return Q(state=decision) & (
        models.Exists(reviews.filter(decision=decision, reviewed_at__lte=moment))
        | (~models.Exists(reviews) & Q(recorded_at__lte=moment))
    )


def _newer_versions():
    return Measurement.objects.filter(
        indicator=OuterRef("indicator"),
        organisation=OuterRef("organisation"),
        period_start=OuterRef("period_start"),
        period_end=OuterRef("period_end"),
        version__gt=OuterRef("version"),
    )


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="measurements",
        help_text="The organisation the value is for (a member trust on a group charter).",
    )
    frequency = models.CharField(max_length=20, choices=[(f.value, f.label) for f in Frequency])
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    reason = models.TextField(blank=True, help_text="Why this version corrects the previous one.")

    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    parts = models.JSONField(default=dict, blank=True)
    milestone_state = models.CharField(
        max_length=20,
        choices=[(s.value, s.value.replace("_", " ")) for s in MilestoneState],
        blank=True,
    )
    achieved_on = models.DateField(null=True, blank=True)
    # "Not started" is the engine's word for a year before a target starts, never an owner's.
    self_status = models.CharField(
        max_length=20,
        choices=[(s.value, s.label) for s in Status if s is not Status.NOT_STARTED],
        blank=True,
    )
    narrative = models.TextField(blank=True)
    note = models.TextField(blank=True)

    # Where the value came from: typed in, a values-sheet row, computed from an import…
    # (ADR 025). Every value has one; a changed source makes a new version.
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="measurements"
    )

    state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    # Empty for a value the system computed (its source says from what).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_start", "period_end", "version"],
                name="one_row_per_version",
            )
        ]
        indexes = [models.Index(fields=["indicator", "state"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label} v{self.version}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, Frequency(self.frequency))

    def to_domain(self) -> Observation:
        return Observation(
            period=self.period,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            parts=_parts_to_decimal(self.parts),
            milestone_state=MilestoneState(self.milestone_state) if self.milestone_state else None,
            achieved_on=self.achieved_on,
            self_status=Status(self.self_status) if self.self_status else None,
            narrative=self.narrative,
        )


def _parts_to_decimal(parts: dict):
    result = {}
    for key, part in parts.items():
        if isinstance(part, dict):
            result[key] = {k: Decimal(str(v)) for k, v in part.items() if v is not None}
        elif part is not None:
            result[key] = Decimal(str(part))
    return result


class Review(models.Model):
    """A lead's decision on a submitted value; the audit trail of the approval workflow."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewed_by}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Stored under its content hash: no user-chosen name ever reaches the file system.
    charter_id = instance.measurement.indicator.charter_id
    return f"evidence/{charter_id}/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvidenceQuerySet":
        """Evidence of values the user sees in full: never a sibling trust's, whatever
        the value's state."""
        return self.filter(measurement__in=Measurement.objects.for_user(user).seen_in_full_by(user))


class Evidence(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class StoredAssessment(models.Model):
    """An indicator's figures for an organisation and year as assessed on `as_of`, stored with
    the fingerprint of everything they were computed from (ADR 022). Read back only while the
    fingerprint still matches; otherwise computed again and overwritten. Never edited by hand:
    delete every row and nothing is lost but time."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Whose figures: the charter's organisation (a group's roll-up), or one member.",
    )
    year_start = models.DateField(help_text="First day of the financial year assessed.")
    as_of = models.DateField(help_text="The date the figures were judged at.")
    fingerprint = models.CharField(max_length=64)
    payload = models.BinaryField(help_text="The figures, as the status engine returned them.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "year_start"],
                name="one_stored_assessment_per_indicator_organisation_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} for {self.organisation_id}, year from {self.year_start}"
