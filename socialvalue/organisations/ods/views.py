"""Pages for platform administrators to add organisations from the ODS lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.organisations.ods.forms import AddGroupForm, AddOrganisationForm
from socialvalue.organisations.ods.services import (
    OrganisationAddError,
    organisation_add,
    organisation_add_group,
)


def _require_platform_administrator(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("Only platform administrators add organisations")


@require_http_methods(["GET", "POST"])
def add_organisation(request):
    _require_platform_administrator(request)
    form = AddOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            results = organisation_add(codes=form.cleaned_data["codes"])
        except OrganisationAddError as error:
            for problem in error.problems:
                form.add_error("codes", problem)
        else:
            for result in results:
                org = result.organisation
                verb = "Added" if result.created else "Already here:"
                messages.success(request, f"{verb} {org.name} ({org.code})")
            return redirect("ods:add_organisation")
    return _page(request, "ods/add_organisation.jinja", form, "Add an organisation")


@require_http_methods(["GET", "POST"])
def add_group(request):
    _require_platform_administrator(request)
    form = AddGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = organisation_add_group(**form.cleaned_data)
        except OrganisationAddError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            group = result.organisation
            verb = "Added the group" if result.created else "Updated the group"
            messages.success(request, f"{verb} {group.name} ({group.code})")
            return redirect("ods:add_organisation")
    return _page(request, "ods/add_group.jinja", form, "Add a group of trusts")


def _page(request, template: str, form, title: str):
    return render(
        request,
        f"organisations/{template}",
        {"form": form, "page_title": title, "nav": "organisations"},
        status=400 if form.errors else 200,
    )
