"""The spend upload form (which organisation, and the ledger files, checked before saving),
and the form that says which column of a refused ledger holds which field."""

import codecs

import filetype
from django import forms
from django.conf import settings

from socialvalue.domain.ledger import REQUIRED, ColumnMapping, DateOrder, Field
from socialvalue.domain.ledger.fields import normalise_header
from socialvalue.domain.ledger.headers import TableHeaders
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


# What each canonical field is called on the page that asks which column is which.
FIELD_LABELS = {
    Field.DATE: "Payment date",
    Field.SUPPLIER: "Supplier",
    Field.AMOUNT: "Amount paid",
    Field.EXPENSE_TYPE: "Expense type",
    Field.EXPENSE_AREA: "Expense area",
    Field.DESCRIPTION: "Description",
    Field.TRANSACTION_NUMBER: "Transaction number",
    Field.INVOICE_NUMBER: "Invoice number",
    Field.SUPPLIER_POSTCODE: "Supplier postcode",
    Field.COMPANY_NUMBER: "Supplier company number",
    Field.VAT_NUMBER: "Supplier VAT number",
    Field.BODY: "Paying organisation (entity)",
    Field.DEPARTMENT_FAMILY: "Department family",
}
NOT_USED = "Not used"
DATE_ORDERS = [
    ("", "Work it out from the dates in the file"),
    (DateOrder.DAY_FIRST.value, "Day first, like 30/04/2020"),
    (DateOrder.MONTH_FIRST.value, "Month first, like 04/30/2020"),
]


def field_label(field: Field) -> str:
    return FIELD_LABELS[field] + (" (required)" if field in REQUIRED else "")


def _in_a_sentence(field: Field) -> str:
    label = FIELD_LABELS[field]
    return label[0].lower() + label[1:]


class ColumnsForm(forms.Form):
    """Which field each named column of a refused ledger holds: one select per column, in
    the file's order, suggested from the alias list; each required field once, no field
    twice. `cleaned_data["mapping"]` is the `ColumnMapping` to remember."""

    date_order = forms.ChoiceField(
        label="How does the file write dates?",
        choices=DATE_ORDERS,
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "Only needed when every date could be read either way, like 01/04/2020. "
            "Dates written with a month name, like 12-May-20, need no answer."
        ),
    )

    def __init__(self, *args, table: TableHeaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        choices = [("", NOT_USED)] + [(f.value, field_label(f)) for f in FIELD_LABELS]
        self.columns = {}
        for column in table.columns:
            name = f"column_{column.index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column.header} (column {column.letter})",
                choices=choices,
                required=False,
                initial=column.guess.value if column.guess else "",
            )
            self.columns[name] = column
        # The date order last, after the columns.
        self.fields["date_order"] = self.fields.pop("date_order")
        self.fields["date_order"].initial = ""

    def column_fields(self):
        return [self[name] for name in self.columns]

    def clean(self):
        cleaned = super().clean()
        chosen: dict[Field, list[str]] = {}
        for name in self.columns:
            if value := cleaned.get(name):
                chosen.setdefault(Field(value), []).append(name)
        for field, names in chosen.items():
            for name in names if len(names) > 1 else []:
                others = " and ".join(
                    f"'{self.columns[n].header}' (column {self.columns[n].letter})"
                    for n in names
                    if n != name
                )
                self.add_error(
                    name,
                    f"Select {_in_a_sentence(field)} for one column only: "
                    f"it is also selected for {others}",
                )
        for field in REQUIRED:
            if field not in chosen:
                self.add_error(None, f"Select the column that holds the {_in_a_sentence(field)}")
        for names in chosen.values():
            column = self.columns[names[0]]
            if not normalise_header(column.header):
                self.add_error(
                    names[0],
                    f"The name of column {column.letter}, '{column.header}', has no letters "
                    "or numbers outside brackets: give it a name in the file and upload it again",
                )
            elif twins := self.table.same_name(column):
                letters = [c.letter for c in [column, *twins]]
                self.add_error(
                    names[0],
                    f"Columns {', '.join(letters[:-1])} and {letters[-1]} have the same name, "
                    f"'{column.header}': give them different names in the file and upload it "
                    "again",
                )
        if not self.errors:
            order = cleaned.get("date_order")
            cleaned["mapping"] = ColumnMapping(
                columns={f.value: self.columns[names[0]].header for f, names in chosen.items()},
                has_header=True,
                date_order=DateOrder(order) if order else None,
            )
        return cleaned
