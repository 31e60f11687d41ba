"""Imports: who brought which files in, when, for which organisation, and what came of it.

An `Import` is the origin later figures point to ("import 12, rows …", ADR 018): its files
are kept as uploaded, with a SHA-256 each, and every saved ledger line names its import, file,
sheet and row. Lines count only once their import is done: a running or failed import's
lines are never read (`SpendLineQuerySet.counted`).
"""

from django.conf import settings
from django.db import models

from socialvalue.organisations.access import organisations_led_by
from socialvalue.organisations.models import Organisation


class Kind(models.TextChoices):
    SPEND = "spend", "Payment ledger"
    # Workforce equality, outpatient and carbon files (socialvalue/equality, ADR 024).
    RECRUITMENT = "recruitment", "Recruitment (WRES 2, WDES 2)"
    STAFF_SURVEY = "staff-survey", "Staff survey results"
    WORKFORCE = "workforce", "Workforce profile"
    OUTPATIENTS = "outpatients", "Outpatient activity"
    FACTORS = "factors", "DESNZ conversion factors"
    PAPER = "paper", "Paper bought"


class State(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Via(models.TextChoices):
    WEB = "web", "Web upload"
    CLI = "cli", "Command line"


class ImportQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportQuerySet":
        """Imports of the organisations the user leads (or administers): the files name
        suppliers and people paid, so viewers and owners of a trust do not see them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__in=organisations_led_by(user))


class Import(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    via = models.CharField(max_length=10, choices=Via.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for an import run from the command line.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress: rows read, checked and saved so far (one pass, ADR 023); once every file is
    # read, the rows of the import (rows_total) as it is marked done.
    phase = models.CharField(max_length=20, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    # What the import found: per file the layout, rows read/skipped/accepted, totals and
    # problems, the figures over all files, and files already imported (see services).
    report = models.JSONField(default=dict, blank=True)
    # The earlier import this one corrects, when the person importing chose it: once this
    # import is done, every file of that import is replaced (docs/spend-files.md).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A column mapping a person gave for a layout the reader does not know (ledger
    # `ColumnMapping.to_dict()`), and the one sheet to read; empty for the usual case.
    mapping = models.JSONField(null=True, blank=True)
    sheet = models.CharField(max_length=200, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)


def _upload_to(instance: "ImportFile", filename: str) -> str:
    return f"imports/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class ImportFile(models.Model):
    """One original file, kept as it came (Django's storage API), with its digest."""

    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    stored = models.FileField(upload_to=_upload_to, max_length=400)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    # Set when the same content had already been imported for the organisation: this
    # file then added nothing.
    duplicate_of = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when a corrected version of this file was imported (same organisation, same file
    # name, overlapping dates; or the import chosen as replaced): its lines no longer count.
    replaced_by = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_files"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_record", "position"], name="import_file_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SpendLineQuerySet(models.QuerySet):
    def for_user(self, user) -> "SpendLineQuerySet":
        return self.filter(import_record__in=Import.objects.for_user(user))

    def counted(self) -> "SpendLineQuerySet":
        """Lines of finished, successful imports, from files no corrected version has
        replaced: the only ones any figure may use."""
        return self.filter(import_record__state=State.DONE, source_file__replaced_by__isnull=True)


class SpendLine(models.Model):
    """A payment line of a ledger, as saved by an import, with the row it came from."""

    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="lines")
    source_file = models.ForeignKey(ImportFile, on_delete=models.CASCADE, related_name="lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sheet = models.TextField(blank=True)
    row = models.PositiveIntegerField()
    date = models.DateField()
    amount = models.DecimalField(max_digits=24, decimal_places=8)
    supplier_raw = models.TextField()
    supplier_name = models.TextField()
    supplier_ledger_id = models.TextField(blank=True)
    company_number = models.TextField(blank=True)
    vat_number = models.TextField(blank=True)
    supplier_postcode = models.TextField(blank=True)
    expense_type = models.TextField(blank=True)
    expense_area = models.TextField(blank=True)
    transaction_number = models.TextField(blank=True)
    invoice_number = models.TextField(blank=True)

    objects = SpendLineQuerySet.as_manager()

    class Meta:
        ordering = ["source_file", "sheet", "row"]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.source_file}:{self.row}"


class LedgerLayoutQuerySet(models.QuerySet):
    def for_user(self, user) -> "LedgerLayoutQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__in=organisations_led_by(user))


class LedgerLayout(models.Model):
    """A column mapping confirmed once for an organisation, tried again on its next files
    whose layout the reader does not know (docs/spend-files.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    mapping = models.JSONField()
    confirmed_in = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerLayoutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"ledger layout {self.pk} of {self.organisation}"
