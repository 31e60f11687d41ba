from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.reminders.forms import EmailSettingsForm
from socialvalue.reminders.services import reminders_settings_save


@require_http_methods(["GET", "POST"])
def email_settings(request):
    # A person's own settings only: the form is bound to the signed-in user.
    form = EmailSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        reminders_settings_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Your email settings are saved")
        return redirect("reminders:email_settings")
    return render(
        request,
        "reminders/email_settings.jinja",
        {"form": form, "page_title": "Email settings"},
    )
