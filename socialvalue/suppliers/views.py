"""The supplier register and the local area of an organisation (docs/suppliers.md)."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from socialvalue.domain.supplier_files import read_suppliers
from socialvalue.organisations.access import has_role, require_role
from socialvalue.organisations.models import Organisation, Role
from socialvalue.suppliers import presenters, services
from socialvalue.suppliers.forms import (
    FLAG_CHOICES,
    LocalAreaForm,
    SupplierFileForm,
    review_decisions,
)
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


@require_http_methods(["GET", "POST"])
def upload_suppliers(request, code: str):
    """A supplier file (CSV or XLSX) added to the register, all or nothing: the same reader
    and service as `socialvalue import suppliers`. Supplier files are small: no background
    job."""
    organisation = _organisation(request, code)
    require_role(request.user, organisation, Role.LEAD)
    form = SupplierFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as copy:
                for chunk in upload.chunks():
                    copy.write(chunk)
            reading = read_suppliers(path, name=Path(upload.name).name)
        if reading.ok:
            result = services.suppliers_import(
                organisation=organisation, rows=reading.rows, file_name=Path(upload.name).name
            )
            messages.success(
                request,
                f"{upload.name}: {result.created} suppliers added, {result.updated} updated",
            )
            return redirect(f"{reverse('suppliers:list_suppliers', args=[code])}?show=all")
        problems = [str(p) for p in reading.problems]
        if reading.problems_left_out:
            problems.append(f"… and {reading.problems_left_out} more problems")
    return render(
        request,
        "suppliers/upload_suppliers.jinja",
        {
            "organisation": organisation,
            "form": form,
            "problems": problems,
            "page_title": ("Error: " if form.errors or problems else "")
            + f"Import a supplier file for {organisation.name}",
        },
        status=400 if form.errors or problems else 200,
    )
