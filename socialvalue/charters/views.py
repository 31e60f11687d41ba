from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from socialvalue.charters import services
from socialvalue.charters.forms import (
    CharterForm,
    IndicatorForm,
    IndicatorKindForm,
    PledgeForm,
    ThemeForm,
    chosen_kind,
)
from socialvalue.charters.history import setting_change_text
from socialvalue.charters.models import Charter
from socialvalue.charters.presenters import charter_tree
from socialvalue.config.pagecache import kept_page
from socialvalue.domain.charterfile import charter_schema
from socialvalue.organisations.access import (
    has_role,
    organisations_led_by,
    people_of,
    require_role,
)
from socialvalue.organisations.models import Role
from socialvalue.web import breadcrumbs, get_charter, requested_year


def home(request):
    charters = Charter.objects.for_user(request.user).select_related("organisation")
    can_create = organisations_led_by(request.user).exists()
    return render(
        request,
        "charters/home.jinja",
        {
            "charters": charters,
            "can_create": can_create,
            "nav": "charters",
            "page_title": "Charters",
        },
    )


@kept_page
def view_charter(request, code: str):
    charter = get_charter(request, code)
    year = requested_year(request, charter)
    return render(
        request,
        "charters/view_charter.jinja",
        {
            "charter": charter,
            "year": year,
            "years": [p.year for p in charter.periods.all()],
            "themes": charter_tree(charter, year),
            "can_edit": has_role(request.user, charter.organisation, Role.LEAD),
            "setting_changes": charter.setting_changes.select_related("changed_by"),
            "setting_change_text": setting_change_text,
            "nav": "charters",
            "page_title": charter.title,
            "breadcrumbs": breadcrumbs(("Charters", "/")),
        },
    )


@require_http_methods(["GET", "POST"])
def create_charter(request):
    organisations = organisations_led_by(request.user)
    if not organisations.exists():
        raise Http404
    form = CharterForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        charter = services.charter_create(
            actor=request.user,
            organisation=data["organisation"],
            code=data["code"],
            title=data["title"],
            years=data["years"],
            definition=data["definition"],
            mission=data["mission"],
            thresholds=data["thresholds"],
        )
        messages.success(request, f"Charter {charter.code} created")
        return redirect("charters:view_charter", code=charter.code)
    return _form_page(request, form, title="Create a charter", crumbs=[("Charters", "/")])


@require_http_methods(["GET", "POST"])
def edit_charter(request, code: str):
    charter = get_charter(request, code)
    require_role(request.user, charter.organisation, Role.LEAD)
    initial = {
        "title": charter.title,
        "years": [p.year for p in charter.periods.all()],
        "definition": charter.definition,
        "mission": charter.mission,
        "at_risk_below": charter.at_risk_below,
        "off_track_below": charter.off_track_below,
        "self_approval_allowed": charter.self_approval_allowed,
    }
    form = CharterForm(request.POST or None, initial=initial, organisations=None, editing=charter)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.charter_update(
            actor=request.user,
            charter=charter,
            title=data["title"],
            years=data["years"],
            definition=data["definition"],
            mission=data["mission"],
            thresholds=data["thresholds"],
            self_approval_allowed=data["self_approval_allowed"],
        )
        messages.success(request, "Charter saved")
        return redirect("charters:view_charter", code=charter.code)
    return _form_page(
        request,
        form,
        title="Edit the charter",
        charter=charter,
        crumbs=[("Charters", "/"), (charter.title, charter_url(charter))],
    )


def charter_url(charter: Charter) -> str:
    return reverse("charters:view_charter", args=[charter.code])


@require_http_methods(["GET", "POST"])
def save_theme(request, code: str, theme_code: str | None = None):
    charter = get_charter(request, code)
    require_role(request.user, charter.organisation, Role.LEAD)
    theme = get_object_or_404(charter.themes, code=theme_code) if theme_code else None
    initial = (
        {
            "code": theme.code,
            "title": theme.title,
            "description": theme.description,
            "social_value_model": theme.social_value_model,
            "net_zero": theme.net_zero,
        }
        if theme
        else None
    )
    form = ThemeForm(request.POST or None, initial=initial, charter=charter, editing=theme)
    if request.method == "POST" and form.is_valid():
        services.theme_save(actor=request.user, charter=charter, theme=theme, **form.cleaned_data)
        messages.success(request, "Theme saved")
        return redirect("charters:view_charter", code=charter.code)
    return _form_page(
        request,
        form,
        title="Edit the theme" if theme else "Add a theme",
        charter=charter,
        crumbs=[("Charters", "/"), (charter.title, charter_url(charter))],
    )


@require_http_methods(["GET", "POST"])
def save_pledge(request, code: str, theme_code: str, pledge_code: str | None = None):
    charter = get_charter(request, code)
    require_role(request.user, charter.organisation, Role.LEAD)
    theme = get_object_or_404(charter.themes, code=theme_code)
    pledge = get_object_or_404(theme.pledges, code=pledge_code) if pledge_code else None
    initial = {"code": pledge.code, "text": pledge.text} if pledge else None
    form = PledgeForm(request.POST or None, initial=initial, theme=theme, editing=pledge)
    if request.method == "POST" and form.is_valid():
        services.pledge_save(actor=request.user, theme=theme, pledge=pledge, **form.cleaned_data)
        messages.success(request, "Pledge saved")
        return redirect("charters:view_charter", code=charter.code)
    return _form_page(
        request,
        form,
        title="Edit the pledge" if pledge else f"Add a pledge to {theme.title}",
        charter=charter,
        crumbs=[("Charters", "/"), (charter.title, charter_url(charter))],
    )


@require_http_methods(["GET", "POST"])
def save_indicator(request, code: str, indicator_code: str | None = None):
    """Add or edit an indicator in two steps, without JavaScript: the kind of target first
    (`?target_kind=`), then the details and the chosen kind's parameters; `?choose` goes back to the
    first step."""
    charter = get_charter(request, code)
    require_role(request.user, charter.organisation, Role.LEAD)
    indicator = (
        get_object_or_404(charter.indicators, code=indicator_code) if indicator_code else None
    )
    title = "Edit the indicator" if indicator else "Add an indicator"
    crumbs = [("Charters", "/"), (charter.title, charter_url(charter))]
    if request.method == "POST":
        kind = chosen_kind(request.POST.get("target_kind"))
    elif {"choose", "target_kind", "step"} & request.GET.keys():
        kind = chosen_kind(request.GET.get("target_kind"))
    else:
        kind = chosen_kind(indicator.target_kind) if indicator else None
    if kind is None:
        return _choose_kind_page(request, charter, indicator, title=title, crumbs=crumbs)
    owners = people_of(charter.organisation)
    initial = (
        IndicatorForm.initial_for(indicator, kind)
        if indicator
        else {
            "pledge": request.GET.get("pledge"),
            "applies_from": IndicatorForm.initial_applies_from(charter, timezone.localdate()),
        }
    )
    form = IndicatorForm(
        request.POST or None,
        initial=initial,
        charter=charter,
        owners=owners,
        kind=kind,
        editing=indicator,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.indicator_save(
            actor=request.user,
            pledge=data["pledge"],
            indicator=indicator,
            code=data["code"],
            title=data["title"],
            description=data["description"],
            unit=data["unit"],
            frequency=data["frequency"],
            source=data["source"],
            method=data["method"],
            computation=data["computation"],
            owner=data["owner"],
            target_kind=data["target"].kind.value,
            target_params=data["target"].to_params(),
            profile=data["profile"],
            applies_from=data["applies_from"],
        )
        messages.success(request, f"Indicator {saved.code} saved")
        return redirect("measurements:view_indicator", code=charter.code, indicator_code=saved.code)
    pledge = request.GET.get("pledge") or (request.POST.get("pledge") if request.POST else None)
    change_kind = "?choose" + (f"&pledge={pledge}" if pledge and not indicator else "")
    return render(
        request,
        "charters/indicator_form.jinja",
        {
            "form": form,
            "title": title,
            "charter": charter,
            "kind_label": kind.label,
            "change_kind_url": change_kind,
            "page_title": ("Error: " if form.errors else "") + title,
            "breadcrumbs": breadcrumbs(*crumbs),
            "nav": "charters",
        },
        status=400 if form.errors else 200,
    )


def _choose_kind_page(request, charter, indicator, *, title, crumbs):
    """The first step: which kind of target. A GET form, so choosing needs no JavaScript
    and saves nothing."""
    asked = request.method == "POST" or {"target_kind", "step"} & request.GET.keys()
    current = indicator.target_kind if indicator else None
    data = request.POST if request.method == "POST" else request.GET
    form = IndicatorKindForm(data if asked else None, initial={"target_kind": current})
    if asked:
        form.is_valid()  # shows "Select the kind of target"
    values = services.recorded_values(indicator) if indicator else 0
    return render(
        request,
        "charters/indicator_kind.jinja",
        {
            "form": form,
            "title": title,
            "charter": charter,
            "indicator": indicator,
            "recorded_values": values,
            "pledge": request.GET.get("pledge", ""),
            "page_title": ("Error: " if form.errors else "") + title,
            "breadcrumbs": breadcrumbs(*crumbs),
            "nav": "charters",
        },
        status=400 if form.errors else 200,
    )


def _form_page(request, form, *, title, crumbs, charter=None, template="charters/form.jinja"):
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "charter": charter,
            "page_title": ("Error: " if form.errors else "") + title,
            "breadcrumbs": breadcrumbs(*crumbs),
            "nav": "charters",
        },
        status=400 if form.errors else 200,
    )


def view_schema(request):
    return JsonResponse(charter_schema(), json_dumps_params={"indent": 2})
