"""`socialvalue status ORG_CODE --year 2023/24 [--as-of DATE] [--known-on MOMENT] [--json]`."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from socialvalue.charters.history import charter_existed, read_as_of, read_known_on
from socialvalue.charters.models import Charter
from socialvalue.domain.numbers import quantize, strip_zeros, to_json_number
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.progress import charter_progress
from socialvalue.organisations.models import Organisation


def _number(value):
    """Every figure as a JSON number: whole numbers exactly, others to 4 decimal places.
    Shares also carry their summed numerator and denominator, for an exact recomputation."""
    return None if value is None else to_json_number(strip_zeros(quantize(value, 4)))


class Command(BaseCommand):
    help = (
        "Print every indicator's status for an organisation and year: its own charters, and "
        "for a member trust its share of its group's charters."
    )
    # A read: Django's system checks (which load every page's view to check the addresses)
    # find nothing here that `migrate` and the server's start do not, and cost a third of
    # the command's time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("organisation", metavar="ORG_CODE", help="Like RXN, or a group code.")
        parser.add_argument("--year", required=True, help="Financial year, like 2023/24.")
        parser.add_argument(
            "--as-of", help="Judge the status at this date, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--known-on",
            help=(
                "Use only what was known at this date (its end) or ISO date-time: values "
                "recorded and approved by then, targets and thresholds as they stood "
                "(default: now)."
            ),
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, organisation, year, as_of=None, known_on=None, json=False, **options):
        org = Organisation.objects.filter(code=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with code {organisation}")
        try:
            fy = FinancialYear.parse(year)
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        try:
            day = read_as_of(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--as-of: {error}") from None
        try:
            moment = read_known_on(known_on) if known_on else None
        except ValueError as error:
            raise CommandError(f"--known-on: {error}") from None
        own = list(Charter.objects.filter(organisation=org).order_by("code"))
        groups = []
        if org.parent_id:
            groups = list(Charter.objects.filter(organisation_id=org.parent_id).order_by("code"))
        # A charter created after the moment of knowledge was not known then.
        for charter in [c for c in own + groups if not charter_existed(c, moment)]:
            self.stderr.write(
                f"{charter.code} left out: it was created on "
                f"{timezone.localtime(charter.created_at).isoformat(timespec='seconds')}, "
                "after --known-on"
            )
        own = [c for c in own if charter_existed(c, moment)]
        groups = [c for c in groups if charter_existed(c, moment)]
        if not own and not groups:
            raise CommandError(f"{org.code} has no charters")
        covering = [c for c in own + groups if fy.start_year in _years(c)]
        if not covering:
            raise CommandError(
                f"--year: {fy.label} is not a reporting year of {org.code}'s charters ("
                + "; ".join(f"{c.code}: {_year_list(c)}" for c in own + groups)
                + ")"
            )
        for charter in own + groups:
            if charter not in covering:
                self.stderr.write(
                    f"{charter.code} left out: {fy.label} is not one of its reporting years "
                    f"({_year_list(charter)})"
                )
        results = [
            charter_progress(
                c, year=fy, as_of=day, organisation=None if c in own else org, known_on=moment
            )
            for c in covering
        ]
        data = {
            "organisation": org.code,
            "year": fy.label,
            "as_of": day.isoformat(),
            "known_on": moment.isoformat(timespec="seconds") if moment else None,
            "charters": [_charter(p) for p in results],
        }
        if json:
            self.stdout.write(_dumps(data))
        else:
            for charter in data["charters"]:
                self.stdout.write(f"{charter['code']}: {charter['title']}")
                for i in charter["indicators"]:
                    self.stdout.write(f"  {i['code']:<12} {i['status']:<12} {i['explanation']}")


def _years(charter) -> list[int]:
    return [p.start_year for p in charter.periods.all()]


def _year_list(charter) -> str:
    labels = [FinancialYear(y).label for y in sorted(_years(charter))]
    return ", ".join(labels) if labels else "no years"


def _dumps(data) -> str:
    return jsonlib.dumps(data, indent=2, ensure_ascii=False)


def _charter(progress) -> dict:
    organisation = (progress.organisation or progress.charter.organisation).code
    return {
        "code": progress.charter.code,
        "title": progress.charter.title,
        "organisation": organisation,
        "indicators": [
            {
                "code": item.indicator.code,
                "title": item.indicator.title,
                "target_kind": item.indicator.target_kind,
                "target": item.assessment.target_text,
                "target_value": _number(item.assessment.target_value),
                "actual": _number(item.assessment.actual),
                "expected_to_date": _number(item.assessment.expected_to_date),
                "forecast": _number(item.assessment.forecast),
                "numerator": _number(getattr(item.assessment.combined, "numerator", None)),
                "denominator": _number(getattr(item.assessment.combined, "denominator", None)),
                "status": item.assessment.status.value,
                "stage": item.assessment.stage.value if item.assessment.stage else None,
                "may_count_twice": item.assessment.may_count_twice,
                "explanation": item.assessment.explanation,
                "unit": item.indicator.unit,
                "waiting_for_approval": item.waiting,
                "overdue_periods": [p.key for p in item.overdue],
                "gaps": [
                    {"organisation": member or organisation, "periods": [p.key for p in periods]}
                    for member, periods in item.assessment.gaps
                ],
                "parts": [_part(item.assessment, part) for part in item.assessment.parts],
            }
            for item in progress.indicators
        ],
    }


def _part(assessment, part) -> dict:
    """One part of an assessment: its figure (a share's numerator and denominator too), its
    own target or benchmark, status and explanation."""
    combined = assessment.combined.part(part.key) if assessment.combined is not None else None
    return {
        "key": part.key,
        "label": part.label,
        "actual": _number(part.actual),
        "target": _number(part.target),
        "numerator": _number(getattr(combined, "numerator", None)),
        "denominator": _number(getattr(combined, "denominator", None)),
        "status": part.status.value,
        "explanation": part.explanation,
    }
