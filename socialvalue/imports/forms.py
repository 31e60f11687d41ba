"""The spend upload form: which organisation, and the ledger files, checked before saving."""

import codecs

import filetype
from django import forms
from django.conf import settings

from socialvalue.imports.models import Import, Kind, State
from socialvalue.measurements.forms import MultipleFileField

SUFFIXES = (".csv", ".xlsx", ".xls")
# What the first bytes of a workbook are: XLSX is a zip archive, XLS an OLE2 compound file.
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def content_problem(name: str, head: bytes) -> str | None:
    """Why the file's first bytes do not fit its name's type, or None when they do."""
    is_workbook = head.startswith(WORKBOOK_SIGNATURES)
    if name.lower().endswith((".xlsx", ".xls")):
        return None if is_workbook else f"{name} is not a spreadsheet workbook"
    # A CSV is text (UTF-16 only with its byte-order mark); a workbook saved with a .csv
    # name is still read as a workbook.
    if is_workbook:
        return None
    if kind := filetype.guess(head):
        return f"{name} is a {kind.extension.upper()} file, not a CSV file"
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return f"{name} is not a text file"
    return None


class SpendUploadForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Organisation", error_messages={"required": "Select the organisation"}
    )
    files = MultipleFileField(
        label="Payment ledger files",
        help_text=(
            f"CSV, XLSX or XLS files: up to {settings.UPLOAD_MAX_FILES} at a time, "
            f"smaller than {settings.IMPORT_MAX_MB} MB together"
        ),
        error_messages={"required": "Choose the ledger files to upload"},
    )

    replaces = forms.IntegerField(
        label="Corrects import number (optional)",
        required=False,
        min_value=1,
        help_text=(
            "If these files correct an earlier import, give its number: its lines stop "
            "counting once these are in. A file with the same name as an earlier one and "
            "payments in the same dates replaces it anyway."
        ),
        error_messages={"invalid": "Enter the import's number, like 12"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.code: o for o in organisations}
        self.fields["organisation"].choices = [
            (o.code, f"{o.name} ({o.code})") for o in organisations
        ]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].code

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def clean(self):
        cleaned = super().clean()
        number, organisation = cleaned.get("replaces"), cleaned.get("organisation")
        if number and organisation is not None:
            earlier = Import.objects.filter(
                pk=number, organisation=organisation, kind=Kind.SPEND, state=State.DONE
            ).first()
            if earlier is None:
                self.add_error(
                    "replaces",
                    f"Import {number} is not a finished ledger import of {organisation.name}",
                )
            cleaned["replaces"] = earlier
        return cleaned

    def clean_files(self):
        # Count, names, sizes and first bytes are checked before anything is kept; the
        # ledger reader then checks every row.
        uploads = self.cleaned_data["files"]
        if not uploads:
            raise forms.ValidationError("Choose the ledger files to upload")
        if len(uploads) > settings.UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                f"Select up to {settings.UPLOAD_MAX_FILES} files at a time "
                f"({len(uploads)} were selected)"
            )
        if sum(u.size for u in uploads) > settings.IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected files must be smaller than {settings.IMPORT_MAX_MB} MB together"
            )
        for upload in uploads:
            if not upload.name.lower().endswith(SUFFIXES):
                raise forms.ValidationError(f"{upload.name} must be a CSV, XLSX or XLS file")
            if upload.size == 0:
                raise forms.ValidationError(f"{upload.name} is empty")
            upload.seek(0)
            head = upload.read(8192)
            upload.seek(0)
            if problem := content_problem(upload.name, head):
                raise forms.ValidationError(problem)
        return uploads
