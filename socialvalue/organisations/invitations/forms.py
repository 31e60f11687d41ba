from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from socialvalue.organisations.models import User

PASSWORD_HINT = (
    "At least 8 characters. Not a common password, not only numbers, and not like your "
    "name or email address."
)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput,
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    organisation = forms.ChoiceField(
        label="Organisation", error_messages={"required": "Select an organisation"}
    )
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Select a role"}
    )

    def __init__(self, *args, organisations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.code: o for o in organisations}
        self.fields["organisation"].choices = [
            (o.code, f"{o.name} ({o.code})") for o in organisations
        ]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].code
        self.fields["role"].choices = [(r.value, r.label) for r in roles]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class ResetPasswordForm(PasswordResetForm):
    """Django's, also for people invited who never set a password (their link expired)."""

    def get_users(self, email):
        return User.objects.with_email(email).filter(is_active=True)


class ChoosePasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Type the password again"
