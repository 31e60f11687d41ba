"""The values sheet page: download a sheet, upload it filled in, check it, confirm it."""

import base64
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from socialvalue.measurements import sheets
from socialvalue.measurements.sheet_forms import ConfirmSheetForm, ValuesSheetUploadForm
from socialvalue.organisations.access import has_role
from socialvalue.organisations.models import Role
from socialvalue.web import breadcrumbs, get_charter, requested_year

# The checked upload waits in the session between the check and the confirmation.
PENDING = "values_sheet_pending"


def _sheet_charter(request, code: str):
    charter = get_charter(request, code)
    if not sheets.can_use_sheet(charter=charter, actor=request.user, today=timezone.localdate()):
        raise PermissionDenied("You cannot record values on this charter")
    return charter


def _attachment(download: sheets.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    return fmt if fmt in sheets.FORMATS else "xlsx"


def _page(request, charter, *, template="view_values_sheet", status=200, **context):
    year = requested_year(request, charter)
    return render(
        request,
        f"measurements/{template}.jinja",
        {
            "charter": charter,
            "year": year,
            "years": [p.year for p in charter.periods.all()],
            "can_export": has_role(request.user, charter.organisation, Role.LEAD),
            "nav": "charters",
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
            ),
            **context,
        },
        status=status,
    )


@require_GET
def view_values_sheet(request, code: str):
    charter = _sheet_charter(request, code)
    return _page(
        request, charter, form=ValuesSheetUploadForm(), page_title=f"Values sheet: {charter.title}"
    )


@require_GET
def download_values_sheet(request, code: str):
    charter = _sheet_charter(request, code)
    download = sheets.values_sheet_download(
        charter=charter,
        actor=request.user,
        year=requested_year(request, charter),
        fmt=_format(request),
        prefill=request.GET.get("fill") != "blank",
        today=timezone.localdate(),
    )
    return _attachment(download)


@require_POST
def check_values_sheet(request, code: str):
    charter = _sheet_charter(request, code)
    form = ValuesSheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, charter, form=form, status=400, page_title="Error: Values sheet")
    upload = form.cleaned_data["sheet"]
    content = upload.read()
    result = sheets.values_sheet_import(
        actor=request.user,
        name=upload.name,
        content=content,
        today=timezone.localdate(),
        charter=charter,
        dry_run=True,
    )
    token = hashlib.sha256(content).hexdigest()
    if not result.problems and (result.new or result.corrected):
        request.session[PENDING] = {
            "charter": charter.code,
            "name": upload.name,
            "token": token,
            "content": base64.b64encode(content).decode("ascii"),
        }
    return _checked(request, charter, result, token=token)


def _checked(request, charter, result, *, token):
    leads = any(has_role(request.user, o, Role.LEAD) for o in charter.organisation.with_members())
    return _page(
        request,
        charter,
        template="check_values_sheet",
        status=400 if result.problems else 200,
        result=result,
        form=ValuesSheetUploadForm(),
        confirm=ConfirmSheetForm(initial={"token": token}),
        can_approve=leads,
        page_title=("Error: " if result.problems else "") + f"Check {result.file}",
    )


@require_POST
def confirm_values_sheet(request, code: str):
    charter = _sheet_charter(request, code)
    form = ConfirmSheetForm(request.POST)
    pending = request.session.get(PENDING) or {}
    back = reverse("measurements:view_values_sheet", args=[charter.code])
    if (
        not form.is_valid()
        or pending.get("charter") != charter.code
        or pending.get("token") != form.cleaned_data["token"]
    ):
        messages.error(request, "Upload the values sheet again: it was not found")
        return redirect(back)
    result = sheets.values_sheet_import(
        actor=request.user,
        name=pending["name"],
        content=base64.b64decode(pending["content"]),
        today=timezone.localdate(),
        charter=charter,
        approve=form.cleaned_data["approve"],
    )
    if result.problems:
        return _checked(request, charter, result, token=pending["token"])
    del request.session[PENDING]
    text = f"{result.file}: {result.changes_text} recorded"
    if form.cleaned_data["approve"]:
        text += f"; {result.approved} approved"
    messages.success(request, text)
    return redirect(back)


@require_GET
def export_charter(request, code: str):
    """Every indicator's status and approved values for the year; for the charter's leads."""
    charter = get_charter(request, code)
    if not has_role(request.user, charter.organisation, Role.LEAD):
        raise PermissionDenied("Only the charter's social value leads can download this")
    download = sheets.charter_export(
        charter=charter,
        year=requested_year(request, charter),
        as_of=timezone.localdate(),
        fmt=_format(request),
        table="values" if request.GET.get("table") == "values" else "status",
    )
    return _attachment(download)
