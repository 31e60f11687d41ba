import re

from django import forms


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,]+", text.strip().upper()) if c]


class AddOrganisationForm(forms.Form):
    codes = forms.CharField(
        label="ODS code",
        help_text="Such as RXN for a trust, QE1 for an integrated care board or E07000117 for a "
        "local authority. Several codes can be separated by spaces.",
        error_messages={"required": "Enter an ODS code"},
    )

    def clean_codes(self) -> list[str]:
        return _codes(self.cleaned_data["codes"])


class AddGroupForm(forms.Form):
    code = forms.CharField(
        label="Group code",
        max_length=20,
        help_text="A short code of your choice, like LPT-NHFT.",
        error_messages={"required": "Enter a code for the group"},
    )
    name = forms.CharField(
        label="Group name", max_length=200, error_messages={"required": "Enter the group's name"}
    )
    members = forms.CharField(
        label="Member trusts' ODS codes",
        help_text="Separated by spaces, like RT5 RP1.",
        error_messages={"required": "Enter the member trusts' ODS codes"},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_members(self) -> list[str]:
        return _codes(self.cleaned_data["members"])
