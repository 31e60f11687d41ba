"""Import pages: upload spend ledgers, follow an import's progress, read its report, say
which column is which in a ledger the reader could not map, and forget such a layout."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socialvalue.imports.forms import ColumnsForm, SpendUploadForm
from socialvalue.imports.layouts import (
    ledger_layout_confirm,
    ledger_layout_forget,
    refused_columns,
)
from socialvalue.imports.models import Import, Kind, LedgerLayout, Via
from socialvalue.imports.presenters import ColumnsPresenter, ImportPresenter, LayoutPresenter
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
    layouts = LedgerLayout.objects.for_user(request.user).select_related("organisation")
    return render(
        request,
        "imports/list_imports.jinja",
        _imports_page(
            request,
            page_title="Imports",
            organisations=organisations,
            layouts=[LayoutPresenter(layout) for layout in layouts],
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm_columns(request, pk: int):
    _led(request)
    record = get_object_or_404(
        Import.objects.for_user(request.user).select_related("organisation"),
        pk=pk,
        kind=Kind.SPEND,
    )
    presenter = ImportPresenter(record)
    if not presenter.without_layout:
        return redirect("imports:view_import", pk=record.pk)
    refused = refused_columns(record)
    if refused is None:
        raise Http404("No file of this import has a row of column names to ask about")
    posted = request.method == "POST"
    form = ColumnsForm(request.POST if posted else None, table=refused.table)
    if posted and form.is_valid():
        try:
            again = ledger_layout_confirm(
                record=record, mapping=form.cleaned_data["mapping"], by=request.user
            )
        except ValueError:  # confirmed meanwhile, in another tab
            return redirect("imports:view_import", pk=record.pk)
        run_import.enqueue(again.pk)
        return redirect("imports:view_import", pk=again.pk)
    page = ColumnsPresenter(record, refused, form)
    return render(
        request,
        "imports/confirm_columns.jinja",
        {
            "record": record,
            "page": page,
            "form": form,
            "nav": "imports",
            "page_title": ("Error: " if form.errors else "") + page.title,
            "back": reverse("imports:view_import", args=[record.pk]),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def forget_layout(request, pk: int):
    _led(request)
    layout = get_object_or_404(LedgerLayout.objects.for_user(request.user), pk=pk)
    ledger_layout_forget(layout=layout, by=request.user)
    messages.success(
        request, f"Layout {pk} forgotten: files in that layout will be asked about again"
    )
    return redirect("imports:list_imports")


@require_GET
def view_import(request, pk: int):
    record = get_object_or_404(
        Import.objects.for_user(request.user).select_related("organisation", "created_by"), pk=pk
    )
    presenter = ImportPresenter(record)
    # A failed import with a file whose columns were not found asks which is which, when
    # the file has a row of column names to ask about (read from the kept file).
    columns = refused_columns(record) if presenter.without_layout else None
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
            "columns": columns,
            "refresh": REFRESH_SECONDS if updates and not record.finished else None,
            "running": not record.finished,
            "updates": updates,
            "nav": "imports",
            "page_title": presenter.title,
            "back": reverse("imports:list_imports"),
        },
    )
