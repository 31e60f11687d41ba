"""Where each value came from: one vocabulary of origins for every recorded figure (ADR 025).

Every `Measurement` points to a `Source`. A source says how the figure reached the store
(typed in, a values-sheet row, computed from an import, counted from the register, a
supplier's delivery report), who or what recorded it, and, for a computed figure, the
computation, its version, its inputs (structured: the import and the rows it used, the
supplier matches, the definition of local in force…) and the factor set. Sources are never
edited: a changed input makes a new source and a new version of the value.
"""

from django.conf import settings
from django.db import models

from socialvalue.organisations.models import Organisation


class Kind(models.TextChoices):
    TYPED = "typed", "Typed in"
    SHEET = "sheet", "A values sheet"
    IMPORT = "import", "Computed from an import"
    REGISTER = "register", "Counted from the register"
    SUPPLIER_REPORT = "supplier_report", "A supplier's delivery report"


class Source(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(
        max_length=300, help_text='One line for lists: "values sheet rxn.xlsx, row 7".'
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system recorded it (a recomputation, a command-line import).",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    citation = models.TextField(
        blank=True, help_text="Where a typed figure was published: document, page, link."
    )
    method = models.TextField(blank=True, help_text="How the figure was worked out, in words.")
    computation = models.CharField(
        max_length=80, blank=True, help_text="The named computation (domain/computations.py)."
    )
    computation_version = models.CharField(max_length=20, blank=True)
    factor_set = models.CharField(
        max_length=120, blank=True, help_text='The factors used: "DESNZ 2024 (flat file)".'
    )
    import_record = models.ForeignKey(
        "imports.Import",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )
    # Structured inputs: a sheet's {file, worksheet, rows}; an import's {import, files, rows,
    # ...}; a computation's figures and assumptions. Shown on the source page as they are.
    inputs = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.label
