"""People: an organisation's administrators see who belongs, change roles and remove
memberships. Platform administrators reach every organisation's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from socialvalue.organisations.access import administered_organisations, require_role
from socialvalue.organisations.models import Membership, Organisation, Role
from socialvalue.organisations.people import services
from socialvalue.organisations.people.forms import RoleForm
from socialvalue.organisations.people.presenters import ROLE_DESCRIPTIONS


def _organisation(request, code: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.for_user(request.user), code=code)
    require_role(request.user, organisation, Role.ADMINISTRATOR)
    return organisation


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(organisation.memberships.select_related("user"), pk=pk)


def _crumbs(organisation: Organisation | None = None) -> list[dict]:
    items = [{"text": "People", "href": reverse("people:list_people")}]
    if organisation is not None:
        items.append(
            {
                "text": organisation.name,
                "href": reverse("people:view_people", args=[organisation.code]),
            }
        )
    return items


def list_people(request):
    organisations = list(administered_organisations(request.user))
    if not organisations:
        raise PermissionDenied("Only an organisation's administrators manage its people")
    if len(organisations) == 1:
        return redirect("people:view_people", code=organisations[0].code)
    return render(
        request,
        "organisations/people/list_people.jinja",
        {"organisations": organisations, "nav": "people", "page_title": "People"},
    )


def view_people(request, code: str):
    organisation = _organisation(request, code)
    memberships = organisation.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__email"
    )
    return render(
        request,
        "organisations/people/view_people.jinja",
        {
            "organisation": organisation,
            "memberships": memberships,
            "roles": ROLE_DESCRIPTIONS,
            "nav": "people",
            "page_title": f"People at {organisation.name}",
            "breadcrumbs": _crumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def change_role(request, code: str, pk: int):
    organisation = _organisation(request, code)
    membership = _membership(organisation, pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except services.MembershipChangeRefused as error:
            form.add_error("role", str(error))
        else:
            messages.success(
                request,
                f"{membership.user} is now {membership.get_role_display().lower()} "
                f"at {organisation.name}",
            )
            return redirect("people:view_people", code=organisation.code)
    return render(
        request,
        "organisations/people/change_role.jinja",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "roles": ROLE_DESCRIPTIONS,
            "nav": "people",
            "page_title": ("Error: " if form.errors else "") + f"Change {membership.user}'s role",
            "breadcrumbs": _crumbs(organisation),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def remove_membership(request, code: str, pk: int):
    organisation = _organisation(request, code)
    membership = _membership(organisation, pk)
    problem = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except services.MembershipChangeRefused as error:
            problem = str(error)
        else:
            messages.success(request, f"{membership.user} no longer belongs to {organisation.name}")
            return redirect("people:view_people", code=organisation.code)
    return render(
        request,
        "organisations/people/remove_membership.jinja",
        {
            "organisation": organisation,
            "membership": membership,
            "problem": problem,
            "nav": "people",
            "page_title": ("Error: " if problem else "") + f"Remove {membership.user}",
            "breadcrumbs": _crumbs(organisation),
        },
        status=400 if problem else 200,
    )
