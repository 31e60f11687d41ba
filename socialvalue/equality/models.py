"""What the workforce equality, outpatient and carbon imports save (ADR 024).

Each row names its import, the file kept and the spreadsheet row it came from, so a figure
can point to "import 12, rows …". Rows count only when their import is done (`counted`).
A later import giving the same year (or month) for the same measure replaces the earlier one
for that year (or month) in the figures: see `socialvalue.equality.figures`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from socialvalue.imports.models import Import, ImportFile, State
from socialvalue.organisations.access import organisations_led_by
from socialvalue.organisations.models import Organisation


class RowQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(import_record__in=Import.objects.for_user(user))

    def counted(self):
        """Rows of finished, successful imports: the only ones any figure may use."""
        return self.filter(import_record__state=State.DONE)


class ImportedRow(models.Model):
    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+")
    source_file = models.ForeignKey(ImportFile, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sheet = models.TextField(blank=True)
    row = models.PositiveIntegerField()

    objects = RowQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"import {self.import_record_id}, {self.source_file}, row {self.row}"


class Characteristic(models.TextChoices):
    ETHNICITY = "ethnicity", "Ethnicity"
    DISABILITY = "disability", "Disability"


class GroupRole(models.TextChoices):
    REFERENCE = "reference", "Reference group"
    COMPARISON = "comparison", "Comparison group"
    NOT_STATED = "not_stated", "Not stated"
    ALL = "all", "All staff"


class RecruitmentCount(ImportedRow):
    """Shortlisted and appointed for one group (as written) in one year (WRES 2, WDES 2);
    a candidate extract is saved as one count per candidate."""

    year = models.CharField(max_length=20, blank=True)
    characteristic = models.CharField(max_length=20, choices=Characteristic.choices)
    group = models.CharField(max_length=20, choices=GroupRole.choices)
    written = models.TextField(blank=True)
    shortlisted = models.PositiveIntegerField()
    appointed = models.PositiveIntegerField()

    class Meta:
        ordering = ["source_file", "sheet", "row"]
        indexes = [models.Index(fields=["organisation", "year", "characteristic"])]

    def __str__(self) -> str:
        return super().__str__()


class SurveyResult(ImportedRow):
    """One group's result for one staff survey question in one year."""

    year = models.CharField(max_length=20, blank=True)
    question = models.TextField()
    characteristic = models.CharField(max_length=20, choices=Characteristic.choices, blank=True)
    group = models.CharField(max_length=20, choices=GroupRole.choices)
    written = models.TextField(blank=True)
    respondents = models.PositiveIntegerField()
    percent = models.DecimalField(max_digits=9, decimal_places=4)

    class Meta:
        ordering = ["source_file", "sheet", "row"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return super().__str__()


class StaffCount(ImportedRow):
    """Staff in post in one pay band and group, in one year (the workforce profile)."""

    year = models.CharField(max_length=20)
    band = models.CharField(max_length=60)
    characteristic = models.CharField(max_length=20, choices=Characteristic.choices)
    group = models.CharField(max_length=40, help_text="The measure's group name, e.g. BME.")
    written = models.TextField(blank=True)
    headcount = models.PositiveIntegerField()

    class Meta:
        ordering = ["source_file", "sheet", "row"]
        indexes = [models.Index(fields=["organisation", "year", "characteristic"])]

    def __str__(self) -> str:
        return super().__str__()


class OutpatientCount(ImportedRow):
    """Appointments in one month by one consultation medium (national code). Summed over a
    file's rows (its appointments, or its counts given on more than one sheet), so `row` is
    0 and `rows` cites them."""

    month = models.DateField(help_text="The first day of the month.")
    medium = models.CharField(max_length=2)
    appointments = models.PositiveIntegerField()
    rows = models.TextField(
        blank=True,
        help_text="The file's rows counted, as people write them: '2–40, 45' "
        "(empty for counts imported before rows were kept).",
    )

    class Meta:
        ordering = ["month", "medium"]
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return super().__str__()


class PaperPurchase(ImportedRow):
    """One order line of paper bought, in reams or tonnes."""

    month = models.DateField(help_text="The first day of the month.")
    description = models.TextField(blank=True)
    quantity = models.DecimalField(max_digits=20, decimal_places=6)
    unit = models.CharField(max_length=10, choices=[("reams", "reams"), ("tonnes", "tonnes")])

    class Meta:
        ordering = ["month", "row"]
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return super().__str__()


class FactorSet(ImportedRow):
    """One year's DESNZ greenhouse gas conversion factors, as imported (`row` unused: 0)."""

    year = models.PositiveSmallIntegerField()
    version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-year", "-import_record__created_at"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"DESNZ GHG conversion factors {self.year} (version {self.version})"


class Factor(models.Model):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="factors")
    factor_id = models.CharField(max_length=60)
    scope = models.CharField(max_length=40, blank=True)
    level1 = models.TextField(blank=True)
    level2 = models.TextField(blank=True)
    level3 = models.TextField(blank=True)
    level4 = models.TextField(blank=True)
    column_text = models.TextField(blank=True)
    uom = models.CharField(max_length=60, blank=True)
    ghg_unit = models.CharField(max_length=60, blank=True)
    # Kept as written (the shortest exact decimal), blank when the file leaves it blank.
    value = models.CharField(max_length=60, blank=True)
    row = models.PositiveIntegerField()

    class Meta:
        ordering = ["factor_set", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "factor_id"], name="equality_factor_id_unique_in_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.factor_id} = {self.value or 'blank'} {self.ghg_unit} per {self.uom}"


class SettingsQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__in=organisations_led_by(user))


share_validators = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class EqualitySettings(models.Model):
    """An organisation's stated assumptions for the computed figures: no national source fixes
    them, so they are set by a lead and shown with every figure that uses them."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="equality_settings"
    )
    round_trip_km = models.DecimalField(
        "Round-trip distance per appointment (km)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    car_share = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, validators=share_validators
    )
    bus_share = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, validators=share_validators
    )
    rail_share = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, validators=share_validators
    )
    travel_source = models.TextField(
        blank=True, help_text="Where the distance and the shares come from."
    )
    senior_bands = models.CharField(max_length=100, default="8c,8d,9,VSM")
    unstable_below = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    suppress_below = models.PositiveSmallIntegerField(default=11, validators=[MinValueValidator(1)])
    paper_recycled = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SettingsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"settings of {self.organisation_id}"

    @property
    def mode_shares(self) -> dict[str, Decimal]:
        shares = {"car": self.car_share, "bus": self.bus_share, "rail": self.rail_share}
        return {mode: share for mode, share in shares.items() if share is not None}

    @property
    def bands(self) -> tuple[str, ...]:
        return tuple(b.strip() for b in self.senior_bands.split(",") if b.strip())

    def describe(self) -> dict[str, str]:
        """The settings in words, as shown beside each figure."""
        return {
            "round_trip_km": f"{self.round_trip_km} km" if self.round_trip_km else "not set",
            "mode_shares": ", ".join(f"{m} {s * 100:.1f}%" for m, s in self.mode_shares.items())
            or "not set",
            "travel_source": self.travel_source or "not given",
            "senior_bands": self.senior_bands,
            "unstable_below": str(self.unstable_below),
            "suppress_below": str(self.suppress_below),
            "paper_factor": "closed-loop (recycled)" if self.paper_recycled else "primary",
        }


class EqualitySettingChange(models.Model):
    """One change of one of an organisation's settings for computed figures: who, when, from
    what to what. Append-only: rows are created by `equality.services.settings_save` and
    never edited or deleted. Each value worked out after the change names the settings it
    used in its source; these rows say who changed them and when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="equality_setting_changes"
    )
    setting = models.CharField(max_length=60)
    old_value = models.TextField()
    new_value = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # One moment for every change of one save.
    changed_at = models.DateTimeField(default=timezone.now)

    objects = SettingsQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.setting}: {self.old_value} → {self.new_value}"


def settings_for(organisation) -> EqualitySettings:
    """The organisation's settings, or the defaults (unsaved) when none were set."""
    found = EqualitySettings.objects.filter(organisation=organisation).first()
    return found or EqualitySettings(organisation=organisation)
