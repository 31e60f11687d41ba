"""Imports: who brought which files in, when, for which organisation, and what came of it.

An `Import` is the origin later figures point to ("import 12, rows …", ADR 018): its files
are kept as uploaded, with a SHA-256 each. A ledger's payment lines are kept as the groups the
figures read (ADR 030): per file and sheet, month and supplier as written, their exact sum,
their number and their rows (`SpendGroup`), and per month and expense type (`ExpenseTypeTotal`);
the kept file is the record of every line. Groups count only once their import is done and
while no corrected file has replaced theirs (`SpendGroupQuerySet.counted`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from socialvalue.organisations.access import organisations_led_by
from socialvalue.organisations.models import Organisation


class ExactDecimalField(models.TextField):
    """A `Decimal` kept as its text, exact on every database.

    SQLite keeps a `DecimalField` as a binary float, which holds one ledger amount but not the
    sum of a month's payments to the penny (ADR 030). Text cannot be summed or compared by
    the database: these sums are added up in Python (or polars), per organisation.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(value)

    def get_prep_value(self, value):
        return None if value is None else format(Decimal(value), "f")


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
    # The failed import whose files this one reads again, after a lead said which column is
    # which on its page (the layout is then remembered: socialvalue/imports/layouts.py).
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )

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
    # What a saved ledger file holds: the dates of its first and last payment lines (a
    # correction replaces a file whose dates overlap its own), its lines and their sum. Empty
    # for a file that added nothing (a duplicate, a failed import) and for other kinds.
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    lines = models.PositiveIntegerField(default=0)
    total = ExactDecimalField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_record", "position"], name="import_file_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class _CountedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(import_record__in=Import.objects.for_user(user))

    def counted(self):
        """Of finished, successful imports, from files no corrected version has replaced:
        the only ones any figure may use."""
        return self.filter(import_record__state=State.DONE, source_file__replaced_by__isnull=True)


class SpendGroupQuerySet(_CountedQuerySet):
    pass


class SpendGroup(models.Model):
    """The payment lines of one file's table (sheet) in one month with one supplier as
    written (cleaned name, company number, postcode): their exact sum, their number and the
    file's rows they are on (ADR 030). Every spend figure is a sum of these; a line's other
    fields (transaction number, expense area…) are in the kept file, at its row."""

    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+")
    source_file = models.ForeignKey(
        ImportFile, on_delete=models.CASCADE, related_name="spend_groups"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sheet = models.TextField(blank=True)
    month = models.DateField(help_text="The month's first day.")
    supplier_name = models.TextField()
    company_number = models.TextField(blank=True)
    supplier_postcode = models.TextField(blank=True)
    lines = models.PositiveIntegerField()
    amount = ExactDecimalField()
    # The rows as people write them, "2–4, 9" (`socialvalue.domain.numbers.row_ranges`).
    rows = models.TextField()

    objects = SpendGroupQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        # Never the supplier's name: it may be a person's (payments to individuals).
        return f"{self.source_file}: {self.month:%Y-%m}, {self.lines} lines"


class ExpenseTypeTotalQuerySet(_CountedQuerySet):
    pass


class ExpenseTypeTotal(models.Model):
    """The payment lines of one file's table in one month with one expense type (as written,
    blank when the ledger has none): their exact sum and number (ADR 030). Kept apart from
    `SpendGroup` because a supplier's lines spread over many expense types."""

    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+")
    source_file = models.ForeignKey(
        ImportFile, on_delete=models.CASCADE, related_name="expense_totals"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sheet = models.TextField(blank=True)
    month = models.DateField(help_text="The month's first day.")
    expense_type = models.TextField(blank=True)
    lines = models.PositiveIntegerField()
    amount = ExactDecimalField()

    objects = ExpenseTypeTotalQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.source_file}: {self.month:%Y-%m} {self.expense_type}"


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
