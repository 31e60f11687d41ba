from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.organisations.forms import SignInForm
from socialvalue.organisations.redirects import safe_next


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(next_url or "charters:home")
    return render(
        request,
        "organisations/sign_in.jinja",
        {"form": form, "next": next_url, "page_title": "Sign in"},
        status=200 if not form.errors else 400,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request):
    # Signing out changes state, so it takes a POST; GET shows the button.
    if request.method == "POST":
        logout(request)
        return redirect("organisations:sign_in")
    return render(request, "organisations/sign_out.jinja", {"page_title": "Sign out"})
