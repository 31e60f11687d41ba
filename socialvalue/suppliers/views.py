"""The supplier register and the local area of an organisation (docs/suppliers.md)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from socialvalue.organisations.access import has_role, require_role
from socialvalue.organisations.models import Organisation, Role
from socialvalue.suppliers import presenters, services
from socialvalue.suppliers.forms import FLAG_CHOICES, LocalAreaForm, review_decisions
from socialvalue.suppliers.models import LocalArea, Supplier


def _organisation(request, code: str) -> Organisation:
    return get_object_or_404(Organisation.objects.for_user(request.user), code=code)


def _today():
    return timezone.localdate()


def _by(user) -> str:
    return user.get_full_name() or user.email


@require_http_methods(["GET", "POST"])
def list_suppliers(request, code: str):
    organisation = _organisation(request, code)
    show = "all" if request.GET.get("show") == "all" else "unconfirmed"
    suppliers = Supplier.objects.for_user(request.user).of(organisation)
    if show == "unconfirmed":
        suppliers = suppliers.filter(confirmed=False)
    suppliers = list(suppliers[:200])
    errors = []
    if request.method == "POST":
        require_role(request.user, organisation, Role.LEAD)
        decisions, errors = review_decisions(request.POST, [s.pk for s in suppliers])
        if not errors:
            try:
                changed = services.suppliers_review(
                    organisation=organisation,
                    decisions=decisions,
                    by=_by(request.user),
                    on=_today(),
                )
            except services.ReviewError as error:
                errors = [str(error)]
            else:
                messages.success(request, f"{changed} supplier{'s' if changed != 1 else ''} saved")
                return redirect(f"{request.path}?show={show}")
    area = LocalArea.objects.for_user(request.user).filter(organisation=organisation).first()
    return render(
        request,
        "suppliers/list_suppliers.jinja",
        {
            "organisation": organisation,
            "rows": presenters.supplier_rows(suppliers, area),
            "show": show,
            "may_review": has_role(request.user, organisation, Role.LEAD),
            "flag_choices": FLAG_CHOICES,
            "errors": errors,
            "page_title": f"Suppliers of {organisation.name}",
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def local_area(request, code: str):
    organisation = _organisation(request, code)
    area = LocalArea.objects.for_user(request.user).filter(organisation=organisation).first()
    initial = {"area": "\n".join(area.chosen)} if area else {}
    form = LocalAreaForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_role(request.user, organisation, Role.LEAD)
        if form.is_valid():
            try:
                services.local_area_set(
                    organisation=organisation,
                    choices=form.cleaned_data["area"],
                    by=_by(request.user),
                )
            except services.LocalAreaError as error:
                form.add_error("area", " ".join(p[0].upper() + p[1:] + "." for p in error.problems))
            else:
                messages.success(request, "The local area is saved")
                return redirect("suppliers:local_area", code=organisation.code)
    return render(
        request,
        "suppliers/local_area.jinja",
        {
            "organisation": organisation,
            "form": form,
            "area_lines": presenters.area_lines(area),
            "may_edit": has_role(request.user, organisation, Role.LEAD),
            "page_title": f"Local area of {organisation.name}",
        },
        status=400 if form.errors else 200,
    )
