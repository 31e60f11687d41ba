"""Forms for the values sheet page: upload a sheet, then confirm what it changes."""

from django import forms

from socialvalue.domain.valuesheet import MAX_BYTES


class ValuesSheetUploadForm(forms.Form):
    sheet = forms.FileField(
        label="Filled-in values sheet",
        help_text=f"An XLSX or CSV file, smaller than {MAX_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Choose the values sheet to upload"},
    )

    def clean_sheet(self):
        # Type and size are checked before the file is read; its content is checked by
        # the sheet parser, which refuses anything that is not a workbook or CSV text.
        upload = self.cleaned_data["sheet"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("The values sheet must be an XLSX or CSV file")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The values sheet must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload


class ConfirmSheetForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    approve = forms.BooleanField(
        label="Approve each value I may approve, as I record it",
        required=False,
        help_text="Values you may not approve wait for a social value lead as usual",
    )
