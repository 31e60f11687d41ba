"""Inviting a colleague, accepting an invitation, and resetting a forgotten password.

The last two are Django's auth views with this site's templates: the link in the email is
all a person needs, and it signs them in once they have chosen a password.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from socialvalue.organisations.access import organisations_led_by
from socialvalue.organisations.invitations.forms import (
    ChoosePasswordForm,
    InviteForm,
    ResetPasswordForm,
)
from socialvalue.organisations.invitations.services import (
    InvitationError,
    person_invite,
    roles_grantable_by,
)
from socialvalue.organisations.invitations.tokens import invitation_token_generator


@require_http_methods(["GET", "POST"])
def invite_person(request):
    organisations = list(organisations_led_by(request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied("Only an organisation's administrators and leads invite people")
    # The roles offered are those the person may give everywhere they lead; the service
    # checks again for the organisation chosen.
    roles = max((roles_grantable_by(request.user, o) for o in organisations), key=len)
    form = InviteForm(request.POST or None, organisations=organisations, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = person_invite(
                actor=request.user,
                email=data["email"],
                organisation=data["organisation"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            what = "an invitation link" if invitation.sent_link else "a note that they can sign in"
            again = " again" if invitation.resent else ""
            messages.success(request, f"Sent {what} to {invitation.user.email}{again}")
            return redirect("invitations:invite_person")
    return render(
        request,
        "organisations/invitations/invite_person.jinja",
        {"form": form, "page_title": "Invite a colleague", "days": settings.INVITATION_DAYS},
        status=400 if form.errors else 200,
    )


class AcceptInvitation(auth_views.PasswordResetConfirmView):
    token_generator = invitation_token_generator
    form_class = ChoosePasswordForm
    template_name = "organisations/invitations/accept_invitation.jinja"
    post_reset_login = True
    post_reset_login_backend = "socialvalue.organisations.backends.EmailBackend"
    success_url = reverse_lazy("charters:home")
    extra_context = {"page_title": "Set your password"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and you are signed in")
        return response


class ResetPassword(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "organisations/invitations/reset_password.jinja"
    email_template_name = "organisations/invitations/reset_password_email.txt"
    subject_template_name = "organisations/invitations/reset_password_subject.txt"
    success_url = reverse_lazy("invitations:reset_password_sent")
    extra_context = {"page_title": "Reset your password"}

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL, "days": reset_days()}
        return super().form_valid(form)


class ResetPasswordSent(auth_views.PasswordResetDoneView):
    template_name = "organisations/invitations/reset_password_sent.jinja"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "page_title": "Check your email",
            "days": reset_days(),
        }


def reset_days() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


class ChoosePassword(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "organisations/invitations/accept_invitation.jinja"
    post_reset_login = True
    post_reset_login_backend = "socialvalue.organisations.backends.EmailBackend"
    success_url = reverse_lazy("charters:home")
    extra_context = {"page_title": "Choose a new password", "resetting": True}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your new password is set and you are signed in")
        return response
