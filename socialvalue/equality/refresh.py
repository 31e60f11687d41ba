"""Keep computed indicators up to date from saved imports (ADR 024, ADR 025).

After an import is done (or the organisation's settings change), every computed indicator
of the organisation's charters whose computation reads that kind of import is worked out
again for each period of the charter's reporting years; `measurement_compute` stores a new
version only when the figure or what it was worked out from changed, with a reason the
system writes ("Recomputed from import 12").
"""

from __future__ import annotations

import logging

from socialvalue.charters.models import DataSource, Indicator
from socialvalue.domain.computations import computation as named_computation
from socialvalue.domain.numbers import row_ranges
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.equality.indicators import COMPUTATIONS, compute
from socialvalue.measurements.services import (
    Reading,
    indicator_earlier_years,
    measurement_compute,
)
from socialvalue.sources.services import source_computed

logger = logging.getLogger(__name__)


def _indicators(organisation, kinds: set[str] | None):
    if kinds is not None and "factors" in kinds:
        # A new factor set changes the carbon worked out beside outpatients and paper.
        kinds = kinds | {"outpatients", "paper"}
    names = [
        name
        for name in COMPUTATIONS
        if (found := named_computation(name)) is not None
        and (kinds is None or found.reads in kinds)
    ]
    candidates = Indicator.objects.filter(
        source=DataSource.COMPUTED, computation__in=names
    ).select_related("charter", "charter__organisation")
    return [
        i
        for i in candidates
        if organisation.pk in {o.pk for o in i.charter.organisation.with_members()}
    ]


def refresh_indicators(organisation, *, kinds: set[str] | None = None, import_record=None):
    """Store the computed values that changed; returns [(indicator code, period label,
    version)] for the report."""
    stored = []
    for indicator in _indicators(organisation, kinds):
        definition = named_computation(indicator.computation)
        assert definition is not None
        for period in _periods(indicator):
            computed = compute(indicator, organisation, period)
            if computed is None:
                continue
            source = computed.source
            newest = max(source["imports"]) if source["imports"] else None
            factor_set = source.get("factor_set") or {}
            measurement = measurement_compute(
                indicator=indicator,
                organisation=organisation,
                period=period,
                reading=Reading(**computed.fields),
                source=source_computed(
                    organisation=organisation,
                    computation=definition,
                    inputs=source,
                    label=_label(source),
                    import_record=_import(newest, import_record),
                    factor_set=factor_set.get("label", ""),
                    method=computed.method,
                ),
            )
            if measurement is not None:
                stored.append(
                    {
                        "indicator": indicator.code,
                        "period": period.label,
                        "version": measurement.version,
                    }
                )
    return stored


def _periods(indicator) -> list[Period]:
    """The periods to work out: each of the charter's reporting years the indicator applies
    to, period by period, and before them the whole years its target is built on (a
    benchmark or baseline year, the year before the first: ADR 020)."""
    periods = [e.period for e in indicator_earlier_years(indicator)]
    for reporting in indicator.charter.periods.all():
        year = FinancialYear(reporting.start_year)
        if indicator.applies_from and year.start_year < indicator.applies_from:
            continue
        periods.extend(year.periods(indicator.frequency))
    return periods


def _import(pk, fallback):
    from socialvalue.imports.models import Import

    if pk is None:
        return fallback
    if fallback is not None and fallback.pk == pk:
        return fallback
    return Import.objects.filter(pk=pk).first()


def _label(source: dict) -> str:
    """One line naming the imports, files and rows: "import 12, wres.csv, rows 11–14" (a
    count summed over rows, outpatients, cites their runs)."""
    parts = []
    for f in source["files"]:
        text = f"import {f['import']}, {f['file']}"
        if rows := row_ranges(f["rows"]) or f.get("counted rows", ""):
            text += f", rows {rows}"
        parts.append(text)
    return "; ".join(parts)[:300] or "computed from imports"
