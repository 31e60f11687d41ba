"""The spend summary of an organisation: figures per period, top suppliers, categories."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from socialvalue.domain.spend import Period
from socialvalue.organisations.access import organisations_led_by
from socialvalue.spend import presenters
from socialvalue.spend.services import spend_summary

PERIOD_WORDS = {Period.MONTH: "Month", Period.QUARTER: "Quarter", Period.YEAR: "Financial year"}


@require_GET
def spend_summary_page(request, code: str):
    # Ledgers name the people and firms paid: like imports, only leads and administrators.
    organisation = organisations_led_by(request.user).filter(code=code).first()
    if organisation is None:
        raise Http404("No such organisation")
    try:
        period = Period(request.GET.get("period", Period.YEAR))
    except ValueError:
        period = Period.YEAR
    summary = spend_summary(organisation, period=period, baseline=request.GET.get("baseline"))
    return render(
        request,
        "spend/summary.jinja",
        {
            "organisation": organisation,
            "summary": summary,
            "period": period,
            "period_words": PERIOD_WORDS,
            "p": presenters,
            "nav": "imports",
            "page_title": f"Spend of {organisation.name}",
            "back": reverse("imports:list_imports"),
        },
    )
