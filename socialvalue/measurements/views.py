from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.charters.history import indicator_changes
from socialvalue.charters.models import Charter, Indicator
from socialvalue.charters.presenters import chosen_year
from socialvalue.config.pagecache import kept_page
from socialvalue.domain.computations import computation
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.shapes import Shape
from socialvalue.domain.status import Status
from socialvalue.domain.targets import shape_of
from socialvalue.imports.models import Import
from socialvalue.measurements import services
from socialvalue.measurements.approvals import approval_rows
from socialvalue.measurements.charts import status_by_theme_svg, trend_rows, trend_svg
from socialvalue.measurements.citations import citation_of
from socialvalue.measurements.evidence import EvidenceRejected
from socialvalue.measurements.forms import EarlierFigureForm, RecordForm, ReviewForm
from socialvalue.measurements.models import Evidence, Measurement, ReviewState
from socialvalue.measurements.navigation import shows_approvals, shows_my_indicators
from socialvalue.measurements.presenters import (
    dashboard_row,
    history_as_known,
    history_of,
    inputs_rows,
    reading_text,
    status_tag,
    theme_summaries,
)
from socialvalue.measurements.progress import charter_progress, own_member
from socialvalue.organisations.access import has_role, organisations_led_by
from socialvalue.organisations.models import Organisation, Role, seen_in_full_ids
from socialvalue.organisations.redirects import safe_next
from socialvalue.web import (
    breadcrumbs,
    get_charter,
    get_indicator,
    requested_moments,
    requested_year,
)


def _member_filter(charter: Charter, request) -> Organisation | None:
    code = request.GET.get("organisation")
    if not code or not charter.organisation.is_group:
        return None
    return get_object_or_404(charter.organisation.members.all(), code=code)


# Beside the statuses, the dashboard filters on what needs attention: the lists its counts
# ("3 values waiting", "5 indicators overdue") link to.
ATTENTION_FILTERS = [("waiting", "Values waiting for approval"), ("overdue", "Overdue")]


def _status_matches(row, status: str) -> bool:
    if status == "waiting":
        return row.waiting > 0
    if status == "overdue":
        return bool(row.overdue)
    return row.status == status


@kept_page
def view_dashboard(request, code: str):
    charter = get_charter(request, code)
    moments = requested_moments(request)
    year = requested_year(request, charter, today=moments.as_of)
    member = _member_filter(charter, request)
    progress = charter_progress(
        charter,
        year=year,
        as_of=moments.as_of,
        organisation=member,
        waiting_seen_by=request.user,
        known_on=moments.known_on,
    )
    rows = [dashboard_row(item, year_label=year.label) for item in progress.indicators]
    # A member trust's people see their own contribution beside the group's figure.
    own = None if member else own_member(request.user, charter)
    own_rows = {}
    if own is not None:
        own_rows = {
            item.indicator.code: dashboard_row(item, year_label=year.label)
            for item in charter_progress(
                charter,
                year=year,
                as_of=moments.as_of,
                organisation=own,
                known_on=moments.known_on,
            ).indicators
        }
    themes = theme_summaries(progress)
    chart = status_by_theme_svg(
        [(t.title, tag.text, n) for t in themes for tag, n in t.counts],
        title=f"Indicators by status and theme, {year.label}",
    )
    theme, owner, status = (request.GET.get(k, "") for k in ("theme", "owner", "status"))
    shown = [
        r
        for r in rows
        if (not theme or r.theme == theme)
        and (not owner or r.owner == owner)
        and (not status or _status_matches(r, status))
    ]
    here = {
        "year": year.label,
        **({"organisation": member.code} if member else {}),
        **moments.query(),
    }
    return render(
        request,
        "measurements/view_dashboard.jinja",
        {
            "charter": charter,
            "year": year,
            "years": [p.year for p in charter.periods.all()],
            "progress": progress,
            "themes": themes,
            "chart": chart,
            "rows": shown,
            "total": len(rows),
            "filters": {"theme": theme, "owner": owner, "status": status},
            "theme_choices": list(dict.fromkeys(r.theme for r in rows)),
            "owner_choices": sorted({r.owner for r in rows}),
            "status_choices": [(s.value, s.label) for s in Status] + ATTENTION_FILTERS,
            "waiting_url": "?" + urlencode({**here, "status": "waiting"}),
            "overdue_url": "?" + urlencode({**here, "status": "overdue"}),
            "shows_approvals": shows_approvals(request.user),
            "members": list(charter.organisation.members.all())
            if charter.organisation.is_group
            else [],
            "member": member,
            "own": own,
            "own_rows": own_rows,
            "moments": moments,
            "nav": "charters",
            "page_title": f"Progress {year.label}: {charter.title}",
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
            ),
        },
    )


@kept_page
def view_indicator(request, code: str, indicator_code: str):
    indicator = get_indicator(request, code, indicator_code, "owner", "pledge__theme")
    charter = indicator.charter
    moments = requested_moments(request)
    year = requested_year(request, charter, today=moments.as_of)
    progress = charter_progress(
        charter,
        year=year,
        as_of=moments.as_of,
        indicators=[indicator],
        known_on=moments.known_on,
    )
    if not progress.indicators:
        # Asked for a moment before the indicator was created.
        raise Http404("This indicator was not yet created at that moment")
    item = progress.indicators[0]
    own = own_member(request.user, charter)
    own_item = (
        charter_progress(
            charter,
            year=year,
            as_of=moments.as_of,
            organisation=own,
            indicators=[indicator],
            known_on=moments.known_on,
        ).indicators[0]
        if own is not None
        else None
    )
    rows = trend_rows(indicator.target, list(item.observations))
    by_shape = {
        Shape.SHARE: "Share (%)",
        Shape.SHARE_PARTS: "Share (%)",
        Shape.DISPARITY: "Ratio",
    }.get(shape_of(indicator.target))
    y_title = by_shape or indicator.unit or "Value"
    # The history table shows the chosen year's values; other years are a link away.
    # The charter came through get_indicator (scoped to the person): the values they may read.
    visible = (
        Measurement.objects.for_charter(charter)
        .readable_by(request.user)
        .filter(indicator=indicator)
    )
    if moments.known_on is not None:
        # As known then (ADR 021): the versions recorded by then, in their state then.
        visible = visible.filter(recorded_at__lte=moments.known_on)
    starts = visible.order_by().values_list("period_start", flat=True).distinct()
    reporting = services.organisations_reporting_on(indicator)
    return render(
        request,
        "measurements/view_indicator.jinja",
        {
            "charter": charter,
            "indicator": indicator,
            "year": year,
            "years": [p.year for p in charter.periods.all()],
            "item": item,
            "status": status_tag(item.assessment.status),
            "member_tags": [(m, status_tag(m.assessment.status)) for m in item.members],
            "own": own,
            "own_item": own_item,
            "own_tag": status_tag(own_item.assessment.status) if own_item else None,
            "chart": trend_svg(
                rows, title=f"{indicator.code} by period, {year.label}", y_title=y_title
            ),
            "rows": rows,
            # A share or a ratio: the heading says so; any other figure carries its unit.
            "figure_heading": by_shape or "Figure",
            "unit_in_cells": by_shape is None,
            "several_series": len({r.series for r in rows}) > 1,
            "history": history_as_known(history_of(visible, indicator, year), moments.known_on),
            "changes": indicator_changes(indicator, year=year),
            "moments": moments,
            "stood": item.indicator,
            "history_years": sorted({FinancialYear.containing(start) for start in starts} - {year}),
            "seen_in_full": seen_in_full_ids(request.user),
            "can_record": any(services.can_record(request.user, indicator, o) for o in reporting),
            "earlier_figures": _earlier_figures(request, charter, indicator),
            "can_edit": has_role(request.user, charter.organisation, Role.LEAD),
            "can_review": lambda m: services.can_review(request.user, m),
            "reading_text": reading_text,
            "nav": "charters",
            "page_title": f"{indicator.code}: {charter.title}",
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
                ("Progress", reverse("measurements:view_dashboard", args=[charter.code])),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def record_value(request, code: str, indicator_code: str):
    charter = get_charter(request, code)
    indicator = get_object_or_404(charter.indicators, code=indicator_code)
    organisations = [
        o
        for o in services.organisations_reporting_on(indicator)
        if services.can_record(request.user, indicator, o)
    ]
    if not organisations:
        raise PermissionDenied("You cannot record values for this indicator")
    today = timezone.localdate()
    periods = services.recordable_periods(indicator, today=today)
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        indicator=indicator,
        periods=periods,
        organisations=organisations,
        initial={"period": services.usual_period(periods, today=today).key} if periods else None,
    )
    if request.method == "POST" and form.is_valid():
        uploads = [
            services.Upload(name=f.name, content=f.read()) for f in form.cleaned_data["evidence"]
        ]
        try:
            measurement = services.measurement_record(
                actor=request.user,
                indicator=indicator,
                organisation=form.cleaned_data["organisation"],
                period=form.cleaned_data["period"],
                reading=form.reading(),
                note=form.cleaned_data["note"],
                evidence=uploads,
                reason=form.cleaned_data["reason"],
            )
        except EvidenceRejected as error:
            form.add_error("evidence", str(error))
        except services.CorrectionNeedsReason as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                f"Value for {measurement.period.label} recorded; it now waits for approval",
            )
            return redirect(
                reverse("measurements:view_indicator", args=[charter.code, indicator.code])
                + f"?year={measurement.period.financial_year.label}"
            )
    latest = {}
    for m in (
        Measurement.objects.for_user(request.user)
        .for_charter(charter)
        .filter(indicator=indicator, organisation__in=organisations)
        .select_related("organisation", "source")
        .order_by("period_start", "organisation__name", "-version")
    ):
        # A year before the charter's (ADR 020) is corrected on its own page, not here.
        if not periods or m.period_start >= periods[0].start:
            latest.setdefault((m.organisation_id, m.period_start), m)
    return render(
        request,
        "measurements/record_value.jinja",
        {
            "recorded": list(latest.values()),
            "reading_text": reading_text,
            "several_organisations": len(organisations) > 1,
            "charter": charter,
            "indicator": indicator,
            "form": form,
            "target_text": indicator.target.describe(
                requested_year(request, charter), unit=indicator.unit
            ),
            "max_mb": settings.EVIDENCE_MAX_MB,
            "max_files": settings.UPLOAD_MAX_FILES,
            "max_total_mb": settings.UPLOAD_MAX_TOTAL_MB,
            "nav": "charters",
            "page_title": ("Error: " if form.errors else "")
            + f"Record a value for {indicator.code}",
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
                (
                    indicator.code,
                    reverse("measurements:view_indicator", args=[charter.code, indicator.code]),
                ),
            ),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def record_earlier_figure(request, code: str, indicator_code: str, year: str):
    """The figure for a year before the charter's first that the target is built on (a
    previous year, a baseline or a benchmark year), with where it was published (ADR 020)."""
    charter = get_charter(request, code)
    indicator = get_object_or_404(charter.indicators, code=indicator_code)
    try:
        wanted = FinancialYear.parse(year)
    except ValueError:
        raise Http404("No such year") from None
    earlier = next(
        (e for e in services.indicator_earlier_years(indicator) if e.year == wanted), None
    )
    if earlier is None:
        raise Http404(f"{indicator.code}'s target is not built on a figure for {wanted.label}")
    organisations = [
        o
        for o in services.organisations_reporting_on(indicator)
        if services.can_record(request.user, indicator, o)
    ]
    if not organisations:
        raise PermissionDenied("You cannot record values for this indicator")
    period = earlier.period
    versions = (
        Measurement.objects.for_user(request.user)
        .for_charter(charter)
        .filter(
            indicator=indicator,
            organisation__in=organisations,
            period_start=period.start,
            period_end=period.end,
        )
        .select_related("organisation", "source")
        .order_by("organisation__name", "-version")
    )
    latest = {}
    for m in versions:
        latest.setdefault(m.organisation_id, m)
    initial = {}
    if len(latest) == 1:
        initial["citation"] = citation_of(next(iter(latest.values())))
    form = EarlierFigureForm(
        request.POST or None,
        request.FILES or None,
        indicator=indicator,
        earlier=earlier,
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        uploads = [
            services.Upload(name=f.name, content=f.read()) for f in form.cleaned_data["evidence"]
        ]
        try:
            services.measurement_record(
                actor=request.user,
                indicator=indicator,
                organisation=form.cleaned_data["organisation"],
                period=period,
                reading=form.reading(),
                note=form.cleaned_data["note"],
                evidence=uploads,
                reason=form.cleaned_data["reason"],
                citation=form.cleaned_data["citation"],
            )
        except EvidenceRejected as error:
            form.add_error("evidence", str(error))
        except services.CorrectionNeedsReason as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request, f"Figure for {earlier.year.label} recorded; it now waits for approval"
            )
            return redirect(
                reverse("measurements:view_indicator", args=[charter.code, indicator.code])
            )
    return render(
        request,
        "measurements/record_earlier_figure.jinja",
        {
            "charter": charter,
            "indicator": indicator,
            "earlier": earlier,
            "form": form,
            "recorded": list(latest.values()),
            "reading_text": reading_text,
            "several_organisations": len(organisations) > 1,
            "max_mb": settings.EVIDENCE_MAX_MB,
            "max_files": settings.UPLOAD_MAX_FILES,
            "max_total_mb": settings.UPLOAD_MAX_TOTAL_MB,
            "nav": "charters",
            "page_title": ("Error: " if form.errors else "")
            + f"Record the {earlier.year.label} figure for {indicator.code}",
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
                (
                    indicator.code,
                    reverse("measurements:view_indicator", args=[charter.code, indicator.code]),
                ),
            ),
        },
        status=400 if form.errors else 200,
    )


def _earlier_figures(request, charter, indicator) -> list[dict]:
    """Each year before the charter's first that the target is built on, with the newest
    figure recorded for it that the user may read (any state), for the indicator page."""
    needed = services.indicator_earlier_years(indicator)
    if not needed:
        return []
    found = (
        Measurement.objects.for_user(request.user)
        .for_charter(charter)
        .filter(indicator=indicator, period_start__in=[e.period.start for e in needed])
        .select_related("organisation", "source")
        .order_by("organisation__name", "-version")
    )
    newest: dict[tuple, Measurement] = {}
    for m in found:
        newest.setdefault((m.period_start, m.period_end, m.organisation_id), m)
    return [
        {
            "earlier": e,
            "url": reverse(
                "measurements:record_earlier_figure",
                args=[charter.code, indicator.code, f"{e.year.start_year}-{e.year.label[-2:]}"],
            ),
            "recorded": [
                m
                for (start, end, _), m in newest.items()
                if (start, end) == (e.period.start, e.period.end)
            ],
        }
        for e in needed
    ]


def _measurement_for(request, pk: int) -> Measurement:
    return get_object_or_404(
        Measurement.objects.for_user(request.user).select_related(
            "indicator__charter__organisation", "organisation", "recorded_by"
        ),
        pk=pk,
    )


@require_POST
def review_measurement(request, pk: int):
    measurement = _measurement_for(request, pk)
    refusal = services.review_refusal(request.user, measurement)
    if refusal:
        raise PermissionDenied(refusal)
    form = ReviewForm(request.POST)
    back = safe_next(request, request.POST.get("next"), reverse("measurements:list_approvals"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "approved":
            services.measurement_approve(
                actor=request.user, measurement=measurement, comment=form.cleaned_data["comment"]
            )
            messages.success(request, f"{measurement} approved")
        else:
            services.measurement_return(
                actor=request.user, measurement=measurement, comment=form.cleaned_data["comment"]
            )
            messages.success(request, f"{measurement} returned to {measurement.recorded_by}")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(back)


@require_POST
def approve_measurements(request):
    """Approve the ticked values together; each is approved or refused with why."""
    ticked = {int(pk) for pk in request.POST.getlist("measurement") if pk.isdigit()}
    if not ticked:
        messages.error(request, "Select the values to approve")
        return redirect("measurements:list_approvals")
    found = list(
        Measurement.objects.for_user(request.user)
        .filter(pk__in=ticked)
        .select_related("indicator__charter__organisation", "organisation")
        .order_by("recorded_at", "pk")
    )
    result = services.measurement_approve_many(actor=request.user, measurements=found)
    if result.approved:
        n = len(result.approved)
        messages.success(request, f"{n} value{'s' if n != 1 else ''} approved")
    for measurement, why in result.refused:
        messages.error(request, f"{measurement} not approved: {why}")
    if missing := len(ticked) - len(found):
        messages.error(
            request, f"{missing} selected value{'s were' if missing != 1 else ' was'} not found"
        )
    return redirect("measurements:list_approvals")


def list_approvals(request):
    if not shows_approvals(request.user):
        raise PermissionDenied(
            "Values are approved by social value leads, and returned to the people who "
            "recorded them: your viewer role does neither."
        )
    waiting = list(
        Measurement.objects.for_user(request.user)
        .awaiting_decision()
        .reviewable_by(request.user)
        .select_related("indicator__charter", "organisation", "recorded_by", "supersedes", "source")
        .prefetch_related("evidence")
        .order_by("recorded_at")
    )
    returned = (
        Measurement.objects.for_user(request.user)
        .filter(recorded_by=request.user, state=ReviewState.RETURNED)
        .newest()
        .select_related("indicator__charter", "organisation")
        .prefetch_related("reviews")
    )
    return render(
        request,
        "measurements/list_approvals.jinja",
        {
            "waiting": approval_rows(waiting, visible=Measurement.objects.for_user(request.user)),
            "deciding": sum(1 for m in waiting if m.newest_version == m.version),
            "returned": returned,
            "is_lead": organisations_led_by(request.user).exists(),
            "reading_text": reading_text,
            "nav": "approvals",
            "page_title": "Waiting for approval",
        },
    )


def my_indicators(request):
    if not shows_my_indicators(request.user):
        raise PermissionDenied(
            "You own no indicators and your viewer role records no values: "
            "see progress on each charter's page."
        )
    today = timezone.localdate()
    indicators = (
        Indicator.objects.for_user(request.user)
        .owned_by(request.user)
        .select_related("charter__organisation", "pledge__theme", "owner")
    )
    groups = []
    by_charter: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_charter.setdefault(indicator.charter_id, []).append(indicator)
    for items in by_charter.values():
        charter = items[0].charter
        year = chosen_year(charter, None, today=today)
        progress = charter_progress(charter, year=year, as_of=today, indicators=items)
        groups.append(
            (charter, year, [dashboard_row(i, year_label=year.label) for i in progress.indicators])
        )
    return render(
        request,
        "measurements/my_indicators.jinja",
        {"groups": groups, "nav": "mine", "page_title": "My indicators"},
    )


def download_evidence(request, pk: int):
    item = get_object_or_404(
        Evidence.objects.for_user(request.user),
        pk=pk,
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The evidence file is missing from storage") from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def view_source(request, pk: int):
    """How this was worked out: a value's source, down to the rows it came from (ADR 025).
    Anyone who may read the value may read how it was worked out; the import itself (its
    files name suppliers and people paid) is linked only for those who may see imports."""
    measurement = get_object_or_404(
        Measurement.objects.for_user(request.user).select_related(
            "indicator__charter__organisation",
            "organisation",
            "recorded_by",
            "source__recorded_by",
            "source__import_record",
        ),
        pk=pk,
    )
    source = measurement.source
    indicator = measurement.indicator
    charter = indicator.charter
    import_visible = (
        source.import_record_id is not None
        and Import.objects.for_user(request.user).filter(pk=source.import_record_id).exists()
    )
    return render(
        request,
        "measurements/view_source.jinja",
        {
            "m": measurement,
            "source": source,
            "indicator": indicator,
            "charter": charter,
            "computation": computation(source.computation) if source.computation else None,
            "import_visible": import_visible,
            "inputs": inputs_rows(source.inputs),
            "reading_text": reading_text,
            "nav": "charters",
            "page_title": f"How this was worked out: {indicator.code} {measurement.period.label}",
            # The way every charter page is reached, down to the value's indicator and year.
            "breadcrumbs": breadcrumbs(
                ("Charters", "/"),
                (charter.title, reverse("charters:view_charter", args=[charter.code])),
                ("Progress", reverse("measurements:view_dashboard", args=[charter.code])),
                (
                    indicator.code,
                    reverse("measurements:view_indicator", args=[charter.code, indicator.code])
                    + f"?year={measurement.period.financial_year.label}",
                ),
            ),
        },
    )
