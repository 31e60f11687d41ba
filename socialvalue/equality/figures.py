"""Figures per period worked out from saved imports alone (ADR 024).

Each figure comes from the pure formulas in `socialvalue.domain` and carries what it was
worked out from: the imports (with their files) whose rows it used, the DESNZ factor set, the
organisation's settings (assumptions), and the formula's own `method` sentence.

Which rows count: rows of done imports only; where two imports give the same year (or month)
of the same measure, the newest import's rows are used for that year (or month), so a
corrected file replaces the earlier one instead of adding to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socialvalue.domain import carbon as domain_carbon
from socialvalue.domain import workforce as domain_workforce
from socialvalue.domain.carbon import (
    PAPER_PRIMARY,
    PAPER_RECYCLED,
    PaperBought,
    TravelAssumptions,
    avoided_travel,
    paper_use,
)
from socialvalue.domain.numbers import Span, read_spans, spans_of, spans_text
from socialvalue.domain.outpatients import MediumCount, virtual_share
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.workforce import (
    MEASURES,
    Characteristic,
    GroupCounts,
    Headcount,
    compare_survey,
    recruitment_likelihood,
    senior_representation,
)
from socialvalue.equality.models import (
    EqualitySettings,
    FactorSet,
    OutpatientCount,
    PaperPurchase,
    RecruitmentCount,
    StaffCount,
    SurveyResult,
    settings_for,
)
from socialvalue.imports.models import ImportFile

# Questions as the merged results name them and as WRES/WDES tables word them, by topic.
SURVEY_TOPICS = {
    "public": ("patients", "public", "service users"),
    "managers": ("managers", "manager"),
    "colleagues": ("colleagues", "colleague", "other colleagues"),
}


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    period: str
    headline: str
    value: Decimal | None
    data: dict
    method: str
    imports: tuple[int, ...] = ()
    files: tuple[dict, ...] = ()
    factor_set: dict | None = None
    assumptions: dict = field(default_factory=dict)
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "period": self.period,
            "headline": self.headline,
            "value": str(self.value) if self.value is not None else None,
            "method": self.method,
            "imports": list(self.imports),
            "files": list(self.files),
            "factor_set": self.factor_set,
            "assumptions": self.assumptions,
            "data": self.data,
        }


def _newest_per_key(rows, key) -> list:
    """For each key (a year or month and measure), only the rows of the newest import."""
    newest: dict = {}
    for r in rows:
        k = key(r)
        if k not in newest or r.import_record_id > newest[k]:
            newest[k] = r.import_record_id
    return [r for r in rows if newest[key(r)] == r.import_record_id]


def _provenance(rows) -> tuple[tuple[int, ...], tuple[dict, ...]]:
    """The imports a figure used, and per file kept its name, SHA-256 and the spreadsheet
    rows used: each row's own number, or for a count summed over many rows (outpatients)
    the runs of rows it cites, also given apart as "counted rows"."""
    ids = sorted({r.import_record_id for r in rows})
    used: dict[int, set[int]] = defaultdict(set)
    counted: dict[int, list[Span]] = defaultdict(list)
    for r in rows:
        if r.row:
            used[r.source_file_id].add(r.row)
        else:
            used.setdefault(r.source_file_id, set())
            counted[r.source_file_id].extend(read_spans(getattr(r, "rows", "")))
    files = tuple(
        {
            "import": f.import_record_id,
            "file": f.name,
            "sha256": f.sha256,
            "rows": sorted(used[f.pk]),
            "row_ranges": spans_text([*spans_of(used[f.pk]), *counted[f.pk]]),
            # Only where there are some: a figure from counts imported before their rows
            # were kept reads as it did, and is not recomputed for it.
            **({"counted rows": spans_text(counted[f.pk])} if counted[f.pk] else {}),
        }
        for f in ImportFile.objects.filter(pk__in=list(used)).order_by(
            "import_record_id", "position"
        )
    )
    return tuple(ids), files


def _in_year(rows, fy: FinancialYear) -> list:
    return [r for r in rows if FinancialYear.written(r.year) == fy]


# --- Recruitment ----------------------------------------------------------------------------


def recruitment(organisation, fy: FinancialYear, settings: EqualitySettings | None = None):
    """WRES 2 and WDES 2 for the financial year (from the submission of that year)."""
    settings = settings or settings_for(organisation)
    rows = list(RecruitmentCount.objects.counted().filter(organisation=organisation))
    rows = _newest_per_key(_in_year(rows, fy), lambda r: r.characteristic)
    out = []
    for characteristic, measure in MEASURES.items():
        mine = [r for r in rows if r.characteristic == characteristic.value]
        if not mine:
            continue
        sums = defaultdict(lambda: [0, 0])
        for r in mine:
            sums[r.group][0] += r.shortlisted
            sums[r.group][1] += r.appointed
        result = recruitment_likelihood(
            measure,
            reference=GroupCounts(*sums["reference"]),
            comparison=GroupCounts(*sums["comparison"]),
            not_stated=GroupCounts(*sums["not_stated"]),
            threshold=settings.unstable_below,
        )
        data = result.to_dict()
        headline = data["ratio"] if data["ratio"] is not None else result.reason
        if result.unstable:
            headline += " (unstable: small counts)"
        imports, files = _provenance(mine)
        out.append(
            Figure(
                key=f"recruitment:{characteristic.value}",
                title=f"{measure.code}: {measure.name}",
                period=fy.label,
                headline=headline,
                value=result.ratio_2dp,
                data=data,
                method=result.method,
                imports=imports,
                files=files,
                assumptions={"unstable_below": settings.unstable_below},
            )
        )
    return out


# --- Staff survey ---------------------------------------------------------------------------


def survey_topic(question: str) -> str | None:
    """Which harassment question a question is: public, managers or colleagues."""
    words = question.lower()
    if "harass" not in words and "bull" not in words and "abuse" not in words:
        return None
    for topic, names in SURVEY_TOPICS.items():
        if any(re.search(rf"\bfrom {n}\b", words) for n in names):
            return topic
    return None


def staff_survey(organisation, fy: FinancialYear, settings: EqualitySettings | None = None):
    """Per question and characteristic: the gap in points and the ratio (survey of the year
    the financial year starts in)."""
    settings = settings or settings_for(organisation)
    rows = list(SurveyResult.objects.counted().filter(organisation=organisation))
    rows = _newest_per_key(_in_year(rows, fy), lambda r: (r.question, r.characteristic))
    out = []
    grouped: dict[tuple[str, str], dict[str, SurveyResult]] = defaultdict(dict)
    for r in rows:
        if r.characteristic and r.group in ("reference", "comparison"):
            grouped[(r.question, r.characteristic)][r.group] = r
    for (question, characteristic), groups in sorted(grouped.items()):
        measure = MEASURES[Characteristic(characteristic)]

        results = {
            g: domain_workforce.SurveyResult(question, r.written, r.respondents, r.percent)
            for g, r in groups.items()
        }
        comparison = compare_survey(
            question,
            measure,
            reference=results.get("reference"),
            comparison=results.get("comparison"),
            suppress_below=settings.suppress_below,
        )
        data = comparison.to_dict()
        if comparison.gap_points is None:
            headline = comparison.reason
        else:
            headline = f"gap {data['gap_points']} points ({data['gap_label']})"
            headline += (
                f"; ratio {data['ratio']} ({data['ratio_label']})"
                if data["ratio"] is not None
                else f"; {comparison.reason}"
            )
        used = list(groups.values())
        imports, files = _provenance(used)
        out.append(
            Figure(
                key=f"survey:{survey_topic(question) or question}:{characteristic}",
                title=f"{question} ({characteristic})",
                period=fy.label,
                headline=headline,
                value=Decimal(data["ratio"]) if data["ratio"] is not None else None,
                data=data,
                method=comparison.method,
                imports=imports,
                files=files,
                assumptions={"suppress_below": settings.suppress_below},
            )
        )
    return out


# --- Senior-role representation -------------------------------------------------------------


def representation(
    organisation,
    fy: FinancialYear,
    *,
    benchmark: FinancialYear | None = None,
    settings: EqualitySettings | None = None,
):
    settings = settings or settings_for(organisation)
    everything = list(StaffCount.objects.counted().filter(organisation=organisation))
    out = []
    for characteristic, measure in MEASURES.items():
        mine = [r for r in everything if r.characteristic == characteristic.value]
        this = _newest_per_key(_in_year(mine, fy), lambda r: r.characteristic)
        if not this:
            continue
        base = (
            _newest_per_key(_in_year(mine, benchmark), lambda r: r.characteristic)
            if benchmark
            else []
        )
        heads = [Headcount(fy.label, r.band, r.group, r.headcount) for r in this] + [
            Headcount(benchmark.label, r.band, r.group, r.headcount)  # type: ignore[union-attr]
            for r in base
        ]
        result = senior_representation(
            measure,
            heads,
            year=fy.label,
            benchmark_year=benchmark.label if benchmark and base else None,
            bands=settings.bands,
        )
        data = result.to_dict()
        headline = (
            f"{data['share_percent']}% of staff in senior roles are {measure.comparison}"
            if result.share is not None
            else result.reason
        )
        if result.change_points is not None:
            headline += f" ({data['change_points']} points on {benchmark.label})"  # type: ignore[union-attr]
        elif benchmark and not base:
            headline += f" (no workforce profile for the benchmark {benchmark.label})"
        imports, files = _provenance(this + base)
        out.append(
            Figure(
                key=f"representation:{characteristic.value}",
                title=f"Senior roles held by {measure.comparison} staff",
                period=fy.label,
                headline=headline,
                value=result.share,
                data=data,
                method=result.method,
                imports=imports,
                files=files,
                assumptions={"senior_bands": settings.senior_bands},
                numerator=Decimal(result.in_group),
                denominator=Decimal(result.senior_staff),
            )
        )
    return out


# --- Factor sets ----------------------------------------------------------------------------


def factor_set_for(
    organisation, on: date
) -> tuple[FactorSet | None, domain_carbon.FactorSet | None]:
    """The newest set imported for the year `on` falls in, else the newest earlier year's,
    else the earliest later year's (the reason is in the figure's method: the set is named)."""
    sets = list(
        FactorSet.objects.counted()
        .filter(organisation=organisation)
        .order_by("-year", "-import_record_id")
    )
    if not sets:
        return None, None
    chosen = next((s for s in sets if s.year <= on.year), sets[-1])
    factors = tuple(
        domain_carbon.Factor(
            id=f.factor_id,
            scope=f.scope,
            level1=f.level1,
            level2=f.level2,
            level3=f.level3,
            level4=f.level4,
            column_text=f.column_text,
            uom=f.uom,
            ghg_unit=f.ghg_unit,
            value=Decimal(f.value) if f.value else None,
            row=f.row,
        )
        for f in chosen.factors.all()
    )
    domain = domain_carbon.FactorSet(
        year=chosen.year,
        version=chosen.version,
        source=chosen.source_file.name,
        factors=factors,
    )
    return chosen, domain


def _set_info(saved: FactorSet) -> dict:
    return {
        "id": saved.pk,
        "label": str(saved),
        "year": saved.year,
        "version": saved.version,
        "import": saved.import_record_id,
        "file": saved.source_file.name,
    }


# --- Outpatients and avoided travel ---------------------------------------------------------


def _months(rows, start: date, end: date) -> list:
    return [r for r in rows if start <= r.month <= end]


def outpatients(organisation, start: date, end: date, settings: EqualitySettings | None = None):
    settings = settings or settings_for(organisation)
    rows = _months(
        list(OutpatientCount.objects.counted().filter(organisation=organisation)), start, end
    )
    rows = _newest_per_key(rows, lambda r: r.month)
    if not rows:
        return []
    share = virtual_share([MediumCount(r.month, r.medium, r.appointments) for r in rows])
    data = share.to_dict()
    imports, files = _provenance(rows)
    period = f"{start:%B %Y} to {end:%B %Y}"
    out = [
        Figure(
            key="outpatients:virtual_share",
            title="Virtual outpatient appointments",
            period=period,
            headline=(
                f"{data['virtual_share_percent']}% virtual ({share.virtual} of {share.total})"
                if share.share is not None
                else share.reason
            ),
            value=share.share,
            data=data,
            method=share.method,
            imports=imports,
            files=files,
            numerator=Decimal(share.virtual),
            denominator=Decimal(share.total),
        )
    ]
    assumptions = settings.describe()
    saved, factor_set = factor_set_for(organisation, end)
    missing = []
    if not settings.round_trip_km:
        missing.append("the round-trip distance (settings)")
    if not settings.mode_shares:
        missing.append("the shares of journeys by mode (settings)")
    if factor_set is None:
        missing.append("a DESNZ factor set (import factors)")
    travel_keys = {
        "round_trip_km": assumptions["round_trip_km"],
        "mode_shares": assumptions["mode_shares"],
        "travel_source": assumptions["travel_source"],
    }
    if missing:
        reason = "no avoided travel figure: needs " + ", ".join(missing)
        out.append(
            Figure(
                key="outpatients:avoided_travel",
                title="Patient travel avoided by virtual appointments",
                period=period,
                headline=reason,
                value=None,
                data={"reason": reason},
                method=reason + ".",
                imports=imports,
                files=files,
                assumptions=travel_keys,
            )
        )
        return out
    assert saved is not None and factor_set is not None and settings.round_trip_km
    try:
        travel = avoided_travel(
            appointments=share.virtual,
            assumptions=TravelAssumptions(
                round_trip_km=settings.round_trip_km,
                mode_shares=settings.mode_shares,
                source=settings.travel_source,
            ),
            factor_set=factor_set,
        )
    except (ValueError, LookupError) as error:
        reason = f"no avoided travel figure: {error}"
        out.append(
            Figure(
                key="outpatients:avoided_travel",
                title="Patient travel avoided by virtual appointments",
                period=period,
                headline=reason,
                value=None,
                data={"reason": reason},
                method=reason + ".",
                imports=imports,
                files=files,
                factor_set=_set_info(saved),
                assumptions=travel_keys,
            )
        )
        return out
    t = travel.to_dict()
    out.append(
        Figure(
            key="outpatients:avoided_travel",
            title="Patient travel avoided by virtual appointments",
            period=period,
            headline=f"{t['kg_co2e']} kg CO2e ({t['tonnes_co2e']} tonnes)",
            value=travel.kg_co2e,
            data=t,
            method=travel.method,
            imports=(*imports, saved.import_record_id),
            files=files,
            factor_set=_set_info(saved),
            assumptions=travel_keys,
        )
    )
    return out


# --- Paper ----------------------------------------------------------------------------------


def _paper_rows(organisation, start: date, end: date) -> list:
    rows = _months(
        list(PaperPurchase.objects.counted().filter(organisation=organisation)), start, end
    )
    return _newest_per_key(rows, lambda r: r.month)


def paper(
    organisation,
    start: date,
    end: date,
    *,
    baseline: tuple[date, date] | None = None,
    settings: EqualitySettings | None = None,
):
    """Paper bought in the period, against the baseline period's (the year before, unless
    the charter names a year), and its carbon with the factor set for the period."""
    settings = settings or settings_for(organisation)
    rows = _paper_rows(organisation, start, end)
    if not rows:
        return []
    base_rows = _paper_rows(organisation, *baseline) if baseline else []
    base_bought = [PaperBought(r.quantity, r.unit) for r in base_rows]
    base_use = paper_use(base_bought, factor_set=None) if base_rows else None
    saved, factor_set = factor_set_for(organisation, end)
    use = paper_use(
        [PaperBought(r.quantity, r.unit) for r in rows],
        factor_set=factor_set,
        baseline_reams=base_use.reams if base_use else None,
        factor_key=PAPER_RECYCLED if settings.paper_recycled else PAPER_PRIMARY,
    )
    data = use.to_dict()
    headline = f"{data['reams']} reams ({data['tonnes']} tonnes)"
    if data["change_percent"] is not None:
        headline += f", {data['change_percent']}% on the baseline"
    if data["kg_co2e"] is not None:
        headline += f", {data['kg_co2e']} kg CO2e"
    if use.reason:
        headline += f" ({use.reason})"
    method = use.method
    if baseline:
        method += f" Baseline: paper bought {baseline[0]:%B %Y} to {baseline[1]:%B %Y}" + (
            f", {data['baseline_reams']} reams." if base_use else ": none imported."
        )
    imports, files = _provenance(rows + base_rows)
    return [
        Figure(
            key="paper",
            title="Paper bought",
            period=f"{start:%B %Y} to {end:%B %Y}",
            headline=headline,
            value=use.reams,
            data=data,
            method=method,
            imports=(*imports, saved.import_record_id) if saved else imports,
            files=files,
            factor_set=_set_info(saved) if saved else None,
            assumptions={"paper_factor": settings.describe()["paper_factor"]},
        )
    ]


def for_year(organisation, fy: FinancialYear, *, benchmark: FinancialYear | None = None):
    """Every figure for a financial year, as the figures page shows them."""
    settings = settings_for(organisation)
    return {
        "recruitment": recruitment(organisation, fy, settings),
        "staff_survey": staff_survey(organisation, fy, settings),
        "representation": representation(organisation, fy, benchmark=benchmark, settings=settings),
        "outpatients": outpatients(organisation, fy.start, fy.end, settings),
        "paper": paper(
            organisation,
            fy.start,
            fy.end,
            baseline=(fy.previous.start, fy.previous.end),
            settings=settings,
        ),
    }
