import re

from django import forms

from socialvalue.imports.forms import content_problem
from socialvalue.suppliers.services import Decision

SUPPLIER_FILE_MAX_MB = 20

FLAG_CHOICES = [("keep", "Leave as it is"), ("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
_FLAGS = {"keep": "keep", "yes": True, "no": False, "unknown": None}


class LocalAreaForm(forms.Form):
    area = forms.CharField(
        label="Local authorities and postcode districts",
        help_text="One per line or separated by commas: local authority codes such as "
        "E07000120 (Hyndburn), a county council such as E10000017 (Lancashire) for all its "
        "districts, or postcode districts such as BB5.",
        widget=forms.Textarea,
        required=False,
    )

    def clean_area(self) -> list[str]:
        return [p for p in re.split(r"[\s,;]+", self.cleaned_data["area"]) if p]


def review_decisions(data, supplier_ids: list[int]) -> tuple[list[Decision], list[str]]:
    """A lead's bulk decisions from the suppliers page's form (one set of fields per row)."""
    decisions, errors = [], []
    confirmed = set(data.getlist("confirm"))
    known = set(supplier_ids)
    for pk in supplier_ids:
        sme = data.get(f"sme-{pk}", "keep")
        vcfse = data.get(f"vcfse-{pk}", "keep")
        same_text = data.get(f"same-{pk}", "").strip().lstrip("#")
        same_as = None
        if same_text:
            if not same_text.isdigit() or int(same_text) not in known or int(same_text) == pk:
                errors.append(
                    f"Supplier {pk}: enter the number of another supplier on this page, "
                    f"such as {next(iter(known - {pk}), pk)}"
                )
                continue
            same_as = int(same_text)
        if sme not in _FLAGS or vcfse not in _FLAGS:
            errors.append(f"Supplier {pk}: choose yes, no, not known or leave as it is")
            continue
        decision = Decision(
            supplier_id=pk,
            confirm=str(pk) in confirmed,
            sme=_FLAGS[sme],
            vcfse=_FLAGS[vcfse],
            same_as=same_as,
        )
        if decision != Decision(supplier_id=pk):
            decisions.append(decision)
    return decisions, errors


class SupplierFileForm(forms.Form):
    file = forms.FileField(
        label="Supplier file",
        help_text=f"A CSV or XLSX file, smaller than {SUPPLIER_FILE_MAX_MB} MB",
        error_messages={"required": "Choose the supplier file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(f"{upload.name} must be a CSV or XLSX file")
        if upload.size == 0:
            raise forms.ValidationError(f"{upload.name} is empty")
        if upload.size > SUPPLIER_FILE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"{upload.name} must be smaller than {SUPPLIER_FILE_MAX_MB} MB"
            )
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        if problem := content_problem(upload.name, head):
            raise forms.ValidationError(problem)
        return upload
