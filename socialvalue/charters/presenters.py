"""Display-ready views of charters, so templates hold no logic."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from socialvalue.charters.models import Charter, Indicator, Pledge, Theme
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.targets import TargetKind
from socialvalue.domain.vocab import NET_ZERO_PRIORITIES, SOCIAL_VALUE_MODEL_THEMES


def chosen_year(charter: Charter, requested: str | None, *, today: date) -> FinancialYear:
    """The year a page shows: the one asked for, else the current one, else the latest."""
    years = [p.year for p in charter.periods.all()]
    if requested:
        try:
            year = FinancialYear.parse(requested)
        except ValueError:
            year = None
        if year in years:
            return year
    current = FinancialYear.containing(today)
    if current in years or not years:
        return current
    past = [y for y in years if y <= current]
    return max(past) if past else min(years)


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    title: str
    kind: str
    target_text: str
    frequency: str
    unit: str
    source: str
    owner: str
    url: str


def indicator_row(indicator: Indicator, year: FinancialYear) -> IndicatorRow:
    return IndicatorRow(
        code=indicator.code,
        title=indicator.title,
        kind=TargetKind(indicator.target_kind).label,
        target_text=indicator.target.describe(year, unit=indicator.unit),
        frequency=Frequency(indicator.frequency).label,
        unit=indicator.unit,
        source=indicator.get_source_display(),
        owner=str(indicator.owner) if indicator.owner else "Not assigned",
        url=reverse("measurements:view_indicator", args=[indicator.charter.code, indicator.code]),
    )


_SVM = dict(SOCIAL_VALUE_MODEL_THEMES)
_NZ = dict(NET_ZERO_PRIORITIES)


@dataclass(frozen=True)
class PledgeView:
    pledge: Pledge
    indicators: list[IndicatorRow]


@dataclass(frozen=True)
class ThemeView:
    theme: Theme
    mappings: list[str]
    pledges: list[PledgeView]


def charter_tree(charter: Charter, year: FinancialYear) -> list[ThemeView]:
    """Themes → pledges → indicators in three queries, whatever the charter's size."""
    themes = list(charter.themes.all())
    pledges = list(Pledge.objects.filter(theme__charter=charter))
    indicators = list(charter.indicators.select_related("owner", "charter"))
    by_pledge: dict[int, list[IndicatorRow]] = {}
    for indicator in indicators:
        by_pledge.setdefault(indicator.pledge_id, []).append(indicator_row(indicator, year))
    by_theme: dict[int, list[PledgeView]] = {}
    for pledge in pledges:
        by_theme.setdefault(pledge.theme_id, []).append(
            PledgeView(pledge=pledge, indicators=by_pledge.get(pledge.pk, []))
        )
    return [
        ThemeView(
            theme=theme,
            mappings=[
                *(f"Social Value Model: {_SVM.get(c, c)}" for c in theme.social_value_model),
                *(f"Net zero: {_NZ.get(c, c)}" for c in theme.net_zero),
            ],
            pledges=by_theme.get(theme.pk, []),
        )
        for theme in themes
    ]
