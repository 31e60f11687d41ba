from django import forms

from socialvalue.organisations.models import User


class EmailSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_overdue_reminders", "email_approval_reminders"]
        labels = {
            "email_overdue_reminders": "Overdue values of indicators I own",
            "email_approval_reminders": "Values waiting for my approval",
        }
        help_texts = {
            "email_overdue_reminders": "Periods that ended with no value recorded.",
            "email_approval_reminders": "Only if you are a social value lead or administrator.",
        }
