"""How django-axes counts failed sign-ins here: by email address (ignoring case) and by
the client's address, and what a person who is locked out is told (see settings AXES_*)."""

from django.conf import settings
from django.shortcuts import render

from socialvalue.organisations.forms import SignInForm


def attempted_email(request, credentials) -> str:
    """The account an attempt was for: the email as typed, in lower case. The sign-in
    form passes it as `username`; the admin site's form posts `username` too."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("email") or request.POST.get("username")
    return (value or "").strip().lower()


def client_address(request) -> str | None:
    """The address an attempt came from. Behind a reverse proxy (SOCIALVALUE_BEHIND_PROXY)
    it is the last X-Forwarded-For entry, the one the proxy itself added; otherwise the
    connection's own address, since a client can write any X-Forwarded-For it likes."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "There have been too many failed attempts to sign in. "
        f"Wait {minutes} minutes and try again."
    )


def locked_out(request, response=None, credentials=None):
    """The sign-in page again, saying why, with status 429 (Too Many Requests)."""
    return render(
        request,
        "organisations/sign_in.jinja",
        {
            "form": SignInForm(request=request),
            "problem": lockout_message(),
            "next": "",
            "page_title": "Error: Sign in",
        },
        status=429,
    )
