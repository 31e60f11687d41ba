"""Import pages: upload spend ledgers, follow an import's progress, read its report."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from socialvalue.imports.forms import SpendUploadForm
from socialvalue.imports.models import Import, Kind, Via
from socialvalue.imports.presenters import ImportPresenter
from socialvalue.imports.services import Upload, import_create
from socialvalue.imports.tasks import run_import
from socialvalue.organisations.access import organisations_led_by

# How often, in seconds, the page of a running import reloads itself.
REFRESH_SECONDS = 2


def _led(request) -> list:
    organisations = list(organisations_led_by(request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied("Only a social value lead may import files")
    return organisations


def _imports_page(request, **context):
    imports = (
        Import.objects.for_user(request.user)
        .select_related("organisation", "created_by")
        .prefetch_related("files")[:50]
    )
    return {
        "imports": [ImportPresenter(i) for i in imports],
        "nav": "imports",
        **context,
    }


@require_http_methods(["GET", "POST"])
def upload_spend(request):
    organisations = _led(request)
    posted = request.method == "POST"
    form = SpendUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=organisations,
    )
    if posted and form.is_valid():
        record = import_create(
            organisation=form.cleaned_data["organisation"],
            kind=Kind.SPEND,
            uploads=[Upload(f.name, f) for f in form.cleaned_data["files"]],
            via=Via.WEB,
            by=request.user,
            replaces=form.cleaned_data.get("replaces"),
        )
        run_import.enqueue(record.pk)
        return redirect("imports:view_import", pk=record.pk)
    title = ("Error: " if form.errors else "") + "Import payment ledgers"
    return render(
        request,
        "imports/upload_spend.jinja",
        _imports_page(request, form=form, page_title=title),
        status=400 if form.errors else 200,
    )


@require_GET
def list_imports(request):
    organisations = _led(request)
    return render(
        request,
        "imports/list_imports.jinja",
        _imports_page(request, page_title="Imports", organisations=organisations),
    )


@require_GET
def view_import(request, pk: int):
    record = get_object_or_404(
        Import.objects.for_user(request.user).select_related("organisation", "created_by"), pk=pk
    )
    presenter = ImportPresenter(record)
    # WCAG 2.2.1: a page that reloads itself must let people turn that off.
    updates = request.GET.get("updates") != "off"
    # Workforce equality, outpatient and carbon imports have their own report (ADR 024).
    template = (
        "imports/view_import.jinja" if record.kind == Kind.SPEND else "equality/view_import.jinja"
    )
    return render(
        request,
        template,
        {
            "record": record,
            "summary": presenter,
            "refresh": REFRESH_SECONDS if updates and not record.finished else None,
            "running": not record.finished,
            "updates": updates,
            "nav": "imports",
            "page_title": presenter.title,
            "back": reverse("imports:list_imports"),
        },
    )
