"""Pages: upload workforce equality, outpatient and carbon files; the organisation's settings
for the figures; the figures worked out from saved imports, each with how it was worked out.
Leads (and administrators) only, like every import page (ADR 018)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from socialvalue.domain.periods import FinancialYear
from socialvalue.equality import figures
from socialvalue.equality.forms import UPLOAD_LABELS, EqualityUploadForm, SettingsForm
from socialvalue.equality.models import (
    EqualitySettingChange,
    EqualitySettings,
    FactorSet,
    settings_for,
)
from socialvalue.equality.services import KINDS, SETTING_LABELS, settings_save
from socialvalue.imports.models import Import, Kind, Via
from socialvalue.imports.services import Upload, import_create
from socialvalue.imports.tasks import run_import
from socialvalue.organisations.access import organisations_led_by

TITLES = {
    "recruitment": "Import recruitment figures",
    "staff-survey": "Import staff survey results",
    "workforce": "Import the workforce profile",
    "outpatients": "Import outpatient activity",
    "factors": "Import DESNZ conversion factors",
    "paper": "Import paper bought",
}
LAYOUT_HELP = {
    "recruitment": "Shortlisted and appointed by group (White, BME, not stated; Non-disabled, "
    "Disabled, not stated), one row per group, or one row per candidate.",
    "staff-survey": "One row per question and group with the number who answered and the "
    "percentage, or the merged organisation results.",
    "workforce": "Staff in post by year, pay band and group.",
    "outpatients": "Appointments by month and consultation medium, or one row per appointment.",
    "factors": "The DESNZ flat file as published; only the sheet 'Factors by Category' is read.",
    "paper": "One row per order line: date, quantity, and the unit (reams or tonnes).",
}


def _led(request) -> list:
    organisations = list(organisations_led_by(request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied("Only a social value lead may do this")
    return organisations


def _chosen(request, organisations):
    code = request.GET.get("org") or request.POST.get("org")
    if not code:
        return organisations[0]
    for organisation in organisations:
        if organisation.code == code:
            return organisation
    raise Http404("No such organisation among those you lead")


@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    if kind not in KINDS:
        raise Http404("No such kind of import")
    organisations = _led(request)
    posted = request.method == "POST"
    form = EqualityUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=organisations,
        kind=kind,
    )
    if posted and form.is_valid():
        record = import_create(
            organisation=form.cleaned_data["organisation"],
            kind=Kind(kind),
            uploads=[Upload(f.name, f) for f in form.cleaned_data["files"]],
            via=Via.WEB,
            by=request.user,
        )
        run_import.enqueue(record.pk)
        return redirect("imports:view_import", pk=record.pk)
    title = ("Error: " if form.errors else "") + TITLES[kind]
    return render(
        request,
        "equality/upload.jinja",
        {
            "form": form,
            "kind": kind,
            "heading": TITLES[kind],
            "layout_help": LAYOUT_HELP[kind],
            "page_title": title,
            "nav": "imports",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def edit_settings(request):
    organisations = _led(request)
    organisation = _chosen(request, organisations)
    instance = EqualitySettings.objects.for_user(request.user).filter(
        organisation=organisation
    ).first() or EqualitySettings(organisation=organisation)
    posted = request.method == "POST"
    form = SettingsForm(request.POST if posted else None, instance=instance)
    if posted and form.is_valid():
        settings_save(settings=form.save(commit=False), by=request.user)
        return redirect(f"{request.path}?org={organisation.code}&saved=1")
    return render(
        request,
        "equality/settings.jinja",
        {
            "form": form,
            "organisation": organisation,
            "organisations": organisations,
            "saved": request.GET.get("saved") == "1" and not posted,
            # Newest save first, a save's changes in the form's order, with who and when.
            "changes": EqualitySettingChange.objects.for_user(request.user)
            .filter(organisation=organisation)
            .select_related("changed_by")
            .order_by("-changed_at", "pk"),
            "setting_labels": SETTING_LABELS,
            "page_title": ("Error: " if form.errors else "") + "Settings for computed figures",
            "nav": "imports",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def view_figures(request):
    organisations = _led(request)
    organisation = _chosen(request, organisations)
    year_text = request.GET.get("year")
    try:
        fy = (
            FinancialYear.parse(year_text)
            if year_text
            else FinancialYear.containing(timezone.localdate())
        )
        benchmark = (
            FinancialYear.parse(request.GET["benchmark"]) if request.GET.get("benchmark") else None
        )
    except ValueError as error:
        raise Http404(str(error)) from None
    found = figures.for_year(organisation, fy, benchmark=benchmark)
    imports = {
        i.pk: i for i in Import.objects.for_user(request.user).filter(organisation=organisation)
    }
    return render(
        request,
        "equality/figures.jinja",
        {
            "organisation": organisation,
            "organisations": organisations,
            "year": fy,
            "benchmark": benchmark,
            "sections": [
                ("Recruitment (WRES 2, WDES 2)", found["recruitment"]),
                ("Staff survey: harassment, bullying or abuse", found["staff_survey"]),
                ("Senior-role representation", found["representation"]),
                ("Outpatients and avoided patient travel", found["outpatients"]),
                ("Paper", found["paper"]),
            ],
            "imports": imports,
            "settings": settings_for(organisation).describe(),
            "factor_sets": FactorSet.objects.for_user(request.user)
            .counted()
            .filter(organisation=organisation)
            .select_related("source_file")
            .annotate(count=Count("factors")),
            "kinds": [(k, UPLOAD_LABELS[k]) for k in UPLOAD_LABELS],
            "page_title": f"Computed figures {fy.label}",
            "nav": "imports",
        },
    )
