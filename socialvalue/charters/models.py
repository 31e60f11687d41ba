from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.status import Thresholds
from socialvalue.domain.targets import Target, TargetKind, parse_target
from socialvalue.organisations.models import Organisation, reach_of

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]*$", "Enter a code of letters, numbers and hyphens"
)


class CharterQuerySet(models.QuerySet):
    def for_user(self, user) -> "CharterQuerySet":
        """Charters of the organisations the user may read (Organisation.objects.for_user),
        by their ids: a list is cheaper for the database to plan than a subquery."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organisation_id__in=reach_of(user).readable)


class Charter(models.Model):
    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    title = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="charters"
    )
    definition = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the charter's text comes from.")
    # Share of the expected-to-date figure below which an indicator is at risk / off track.
    at_risk_below = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.9"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    off_track_below = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    thresholds_set = models.BooleanField(
        default=False, help_text="Whether the charter file states its own thresholds."
    )
    # Four eyes: by default nobody approves a value they recorded. A one-person team may
    # allow it; every change of this setting is kept in CharterSettingChange.
    self_approval_allowed = models.BooleanField(
        default=False,
        help_text="Whether a lead may approve a value they recorded themselves.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CharterQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="charter_code_unique_ignoring_case")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(at_risk=self.at_risk_below, off_track=self.off_track_below)


class CharterSettingChange(models.Model):
    """One change of one of a charter's settings (its title, thresholds, approval rule,
    reporting years): who, when, how, from what to what. The value a setting had at any
    moment is worked out from these rows (charters.history, ADR 021).

    Append-only: rows are created by charters.services and never edited or deleted."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="setting_changes")
    setting = models.CharField(max_length=60)
    old_value = models.TextField()
    new_value = models.TextField()
    # Null when no person made it: a charter file loaded from the command line.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # How: "web form", or "charter file NAME".
    changed_via = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.setting}: {self.old_value} → {self.new_value}"


class ReportingPeriod(models.Model):
    """A financial year the charter reports on (1 April – 31 March)."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="periods")
    start_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "start_year"], name="one_period_per_year")
        ]

    def __str__(self) -> str:
        return self.year.label

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.start_year)


class Theme(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=40, validators=[code_validator])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    social_value_model = models.JSONField(
        default=list, blank=True, help_text="UK Social Value Model theme codes."
    )
    net_zero = models.JSONField(default=list, blank=True, help_text="NHS net zero priority codes.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="pledges")
    code = models.CharField(max_length=40, validators=[code_validator])
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="pledge_code_unique")]

    def __str__(self) -> str:
        return self.text[:80]


class DataSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    COMPUTED = "computed", "Computed from imported data"


class IndicatorQuerySet(models.QuerySet):
    def for_user(self, user) -> "IndicatorQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(charter__organisation_id__in=reach_of(user).readable)

    def for_charter(self, charter: Charter) -> "IndicatorQuerySet":
        return self.filter(charter=charter)

    def owned_by(self, user) -> "IndicatorQuerySet":
        return self.filter(owner=user)


class Indicator(models.Model):
    # Denormalised from pledge → theme → charter so that scoping and code uniqueness are
    # one join away; services keep it equal to pledge.theme.charter.
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="indicators")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=40, validators=[code_validator])
    title = models.TextField()
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=60, blank=True)
    frequency = models.CharField(
        max_length=20, choices=[(f.value, f.label) for f in Frequency], default="quarterly"
    )
    source = models.CharField(max_length=20, choices=DataSource.choices, default="manual")
    method = models.TextField(blank=True, help_text="How a computed figure is worked out.")
    # For a computed indicator, the named computation its values come from
    # (socialvalue/domain/computations.py); empty while its values are typed in (ADR 025).
    computation = models.CharField(max_length=80, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_indicators",
    )
    target_kind = models.CharField(max_length=40, choices=[(k.value, k.label) for k in TargetKind])
    target_params = models.JSONField(default=dict)
    # Cumulative share of the year's goal expected by the end of each sub-period, as
    # decimals (e.g. [0.1, 0.3, 0.6, 1] quarterly); empty means pro rata.
    profile = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    # The financial year (its start year, like ReportingPeriod.start_year) from which the
    # indicator applies; null means the charter's first year. Years before it are not started.
    applies_from = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title[:80]}"

    @property
    def target(self) -> Target:
        return parse_target(self.target_kind, self.target_params)

    @property
    def applies_from_year(self) -> FinancialYear | None:
        return FinancialYear(self.applies_from) if self.applies_from is not None else None

    @property
    def frequency_enum(self) -> Frequency:
        return Frequency(self.frequency)

    @property
    def profile_fractions(self) -> tuple[Decimal, ...] | None:
        return tuple(Decimal(str(x)) for x in self.profile) or None


class IndicatorVersion(models.Model):
    """The fields of an indicator its status depends on, as they stood from `changed_at`
    until the next version: its target, profile, years, frequency, unit and names.

    Version 1 is the indicator as created (or, for one created before history was kept, as
    it stood then, dated from its charter's creation). Every save that changes one of these
    fields adds a version with who made it and how; rows are never edited or deleted while
    the indicator exists (ADR 021)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    title = models.TextField()
    unit = models.CharField(max_length=60, blank=True)
    frequency = models.CharField(max_length=20)
    target_kind = models.CharField(max_length=40)
    target_params = models.JSONField(default=dict)
    profile = models.JSONField(default=list, blank=True)
    applies_from = models.PositiveSmallIntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changed_via = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField()

    # The Indicator fields each version keeps, in the order a change is described.
    FIELDS = (
        "code",
        "title",
        "unit",
        "frequency",
        "target_kind",
        "target_params",
        "profile",
        "applies_from",
    )

    class Meta:
        ordering = ["indicator", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "version"], name="one_row_per_indicator_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"
