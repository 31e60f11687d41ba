from django import forms

from socialvalue.organisations.models import Role


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select one of the roles listed",
        },
    )

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])
