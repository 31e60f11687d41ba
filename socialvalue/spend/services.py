"""Spend figures of an organisation from its saved ledgers (docs/spend-files.md, ADR 023).

A saved ledger keeps its lines as groups: per file, month and supplier as written (with its
company number and postcode), their exact sum, number and rows (`SpendGroup`, ADR 030). Every
counted group (`SpendGroup.objects.counted()`: done imports, files not replaced by a
corrected version) is classified against the organisation's supplier register and local area
as they are now (`socialvalue.domain.suppliers.classify`), then summed per period by the pure
`socialvalue.domain.spend`: Python sees groups (some 60,000 for a million lines of 5,000
suppliers over a year), not every line, and each supplier as written is classified once.
Every period is a whole number of months.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import polars as pl
from django.db import connection

from socialvalue.domain.ledger.grouping import AMOUNT
from socialvalue.domain.ledger.values import SupplierName
from socialvalue.domain.places import LocalArea as DomainLocalArea
from socialvalue.domain.places import Place
from socialvalue.domain.sic import section_of
from socialvalue.domain.spend import (
    Growth,
    Period,
    PeriodFigures,
    SpendItem,
    growth,
    spend_figures,
)
from socialvalue.domain.suppliers import (
    INDIVIDUAL_LABEL,
    Kind,
    LineClass,
    SupplierFacts,
    classify,
    normalise_name,
)
from socialvalue.imports.models import ExpenseTypeTotal, SpendGroup
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers import lookups
from socialvalue.suppliers.models import LocalArea, Supplier
from socialvalue.suppliers.services import register_of

ZERO = Decimal(0)
UNCATEGORISED = "No expense type in the ledger"


@dataclass
class SupplierTotal:
    """One supplier's spend: a register supplier, an unmatched ledger name, or every payment
    to an individual together (never named)."""

    name: str
    kind: str
    place: str
    district: str
    sme: bool | None
    vcfse: bool | None
    in_register: bool
    lines: int = 0
    amount: Decimal = ZERO
    # "Q Human health and social work activities": the UK SIC 2007 section of the register
    # supplier's first SIC code; "" when the register gives none.
    industry: str = ""


@dataclass
class Classified:
    """Everything the figures and the summary page need, from one pass over the lines."""

    items: list[SpendItem]
    suppliers: dict[object, SupplierTotal] = field(default_factory=dict)
    categories: dict[str, Decimal] = field(default_factory=dict)
    lines: int = 0
    area: DomainLocalArea | None = None
    area_chosen: tuple[str, ...] = ()
    register_size: int = 0


def _area(organisation: Organisation) -> tuple[DomainLocalArea, LocalArea | None]:
    saved = LocalArea.objects.filter(organisation=organisation).first()
    return (saved.to_domain() if saved else DomainLocalArea()), saved


class LineGroup(NamedTuple):
    """The counted lines of one month with one supplier as written (name, company number,
    postcode), and with `by_file`, of one file: their sum, their count and, if asked for,
    their rows as ranges ("2–4, 9"; a file's sheets one after the other). A tuple: tens of
    thousands are made per figure."""

    month: date  # the first day of the month
    name: str
    company: str
    postcode: str
    amount: Decimal
    lines: int
    file_id: int | None = None
    rows: str = ""


def line_groups(organisation: Organisation, *, by_file: bool = False) -> list[LineGroup]:
    """The counted lines summed per month and supplier as written (and per file with their
    rows, with `by_file`), from the saved groups (ADR 030); sums are exact decimals. In the
    order of month, name, company number, postcode and file."""
    keys = ["month", "supplier_name", "company_number", "supplier_postcode"]
    if by_file:
        keys.append("source_file_id")
    summed = [pl.col("amount").cast(AMOUNT).sum(), pl.col("lines").sum()]
    if by_file:  # a file's sheets, one after the other
        summed.append(pl.col("rows").str.join(", "))
    found = _frame(
        SpendGroup.objects.counted().filter(organisation=organisation),
        [*keys, "amount", "lines", *(["rows"] if by_file else [])],
    )
    merged = found.group_by(keys).agg(summed).sort(keys)
    if by_file:
        return [
            LineGroup(month, name, company, postcode, amount, lines, file_id, rows)
            for month, name, company, postcode, file_id, amount, lines, rows in merged.iter_rows()
        ]
    return [LineGroup(*row) for row in merged.iter_rows()]


_TYPES = {"month": pl.Date, "source_file_id": pl.Int64, "lines": pl.Int64}


def _frame(query, columns: list[str]) -> pl.DataFrame:
    """The query's columns as a polars frame (text unless `_TYPES` says otherwise), read
    with one plain cursor: for tens of thousands of groups, Django's conversion of each
    value costs more than the query."""
    sql, params = query.order_by().values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    schema = {c: _TYPES.get(c, pl.String) for c in columns}
    return pl.DataFrame(rows, schema=schema, orient="row")


def expense_totals(organisation: Organisation) -> dict[str, Decimal]:
    """Spend per expense type (blank as UNCATEGORISED), summed exactly."""
    totals: dict[str, Decimal] = {}
    found = ExpenseTypeTotal.objects.counted().filter(organisation=organisation).order_by()
    for expense_type, amount in found.values_list("expense_type", "amount"):
        category = expense_type.strip() or UNCATEGORISED
        totals[category] = totals.get(category, ZERO) + amount
    return totals


class Classifier:
    """The organisation's register, facts, local area and lookups, read once; each distinct
    (name as written, company number, postcode) is classified once."""

    def __init__(self, organisation: Organisation):
        self.register = register_of(organisation)
        self.suppliers = {s.pk: s for s in Supplier.objects.of(organisation)}
        self.facts = {
            pk: SupplierFacts(kind=Kind(s.kind), postcode=s.postcode, sme=s.sme, vcfse=s.vcfse)
            for pk, s in self.suppliers.items()
        }
        self.area, self.saved_area = _area(organisation)
        self.districts = lookups.postcode_districts()
        self.nhs_names = lookups.nhs_names()
        self.cache: dict[tuple[str, str, str], LineClass] = {}

    def __call__(self, name: str, company: str, postcode: str) -> LineClass:
        key = (name, company, postcode)
        known = self.cache.get(key)
        if known is None:
            known = self.cache[key] = classify(
                SupplierName(raw=name, name=name, company_number=company),
                company_number=company,
                postcode=postcode,
                register=self.register,
                facts=self.facts,
                area=self.area,
                districts=self.districts,
                nhs_names=self.nhs_names,
            )
        return known


def classify_lines(organisation: Organisation) -> Classified:
    """Classify and group the organisation's counted lines.

    Each `SpendItem` sums the lines of one month with the same classification (its day is
    the month's first): every period the figures use is a whole number of months.
    """
    classifier = Classifier(organisation)
    suppliers = classifier.suppliers
    rows_of: dict[tuple[str, str, str], tuple[LineClass, SupplierTotal]] = {}
    grouped: dict[tuple[date, bool, bool | None, bool | None, bool | None], list] = {}
    totals: dict[object, SupplierTotal] = {}
    count = 0
    for group in line_groups(organisation):
        name, company, postcode = group.name, group.company, group.postcode
        amount = group.amount
        count += group.lines
        known = rows_of.get((name, company, postcode))
        if known is None:
            line_class = classifier(name, company, postcode)
            _, total = _supplier_total(line_class, name, suppliers, totals)
            known = rows_of[(name, company, postcode)] = (line_class, total)
        line_class, total = known
        total.lines += group.lines
        total.amount += amount
        group_key = (
            group.month,
            line_class.influenceable,
            line_class.placement.local,
            line_class.sme,
            line_class.vcfse,
        )
        sums = grouped.get(group_key)
        if sums is None:
            grouped[group_key] = [amount, group.lines]
        else:
            sums[0] += amount
            sums[1] += group.lines
    items = [
        SpendItem(day, amount, influenceable, local, sme, vcfse, lines=n)
        for (day, influenceable, local, sme, vcfse), (amount, n) in grouped.items()
    ]
    saved_area = classifier.saved_area
    return Classified(
        items=items,
        suppliers=totals,
        categories=expense_totals(organisation),
        lines=count,
        area=classifier.area,
        area_chosen=tuple(saved_area.chosen) if saved_area else (),
        register_size=len(suppliers),
    )


def _supplier_total(
    line_class: LineClass, name: str, suppliers: dict, totals: dict
) -> tuple[object, SupplierTotal]:
    """The row of the top-suppliers list a line belongs to. Individuals share one row."""
    placement = line_class.placement
    if line_class.kind is Kind.INDIVIDUAL:
        key: object = ("individual",)
        label, in_register = INDIVIDUAL_LABEL, False
    elif line_class.match.key is not None:
        key = ("supplier", line_class.match.key)
        label, in_register = suppliers[line_class.match.key].name, True
    else:
        key = ("name", normalise_name(name))
        label, in_register = name, False
    total = totals.get(key)
    if total is None:
        kind = line_class.kind.value
        if line_class.kind is Kind.PUBLIC_BODY and in_register:
            kind = suppliers[line_class.match.key].public_body or kind
        total = totals[key] = SupplierTotal(
            name=label,
            kind=kind,
            place=placement.place.value,
            district=placement.district if placement.place is not Place.UNPLACED else "",
            sme=line_class.sme,
            vcfse=line_class.vcfse,
            in_register=in_register,
            industry=_industry(suppliers[line_class.match.key]) if in_register else "",
        )
    return key, total


def _industry(supplier) -> str:
    codes = supplier.sic_codes or []
    section = section_of(codes[0]) if codes else None
    return f"{section.letter} {section.title}" if section else ""


NO_SIC = "No SIC code in the supplier register"


def industries(suppliers) -> list[tuple[str, Decimal]]:
    """Spend by UK SIC 2007 section of each supplier's first code, largest first; spend with
    suppliers the register gives no code for (and with individuals) under NO_SIC."""
    amounts: dict[str, Decimal] = {}
    for total in suppliers:
        label = total.industry or NO_SIC
        amounts[label] = amounts.get(label, ZERO) + total.amount
    return sorted(amounts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Summary:
    periods: list[PeriodFigures]
    years: list[PeriodFigures]
    growth: list[Growth]
    baseline: str | None
    top_suppliers: list[SupplierTotal]
    categories: list[tuple[str, Decimal]]
    classified: Classified
    industries: list[tuple[str, Decimal]] = field(default_factory=list)


def spend_summary(
    organisation: Organisation,
    *,
    period: Period = Period.YEAR,
    baseline: str | None = None,
    top: int = 20,
) -> Summary:
    """The organisation's spend figures per period, growth against the baseline year (the
    earliest year with lines unless given), the top suppliers, spend by expense type and by
    industry (the SIC 2007 section of the register supplier)."""
    classified = classify_lines(organisation)
    years = spend_figures(classified.items, Period.YEAR)
    periods = years if period is Period.YEAR else spend_figures(classified.items, period)
    if baseline is None and years:
        baseline = years[0].period.label
    ranked = sorted(classified.suppliers.values(), key=lambda s: (-s.amount, s.name))
    categories = sorted(classified.categories.items(), key=lambda c: (-c[1], c[0]))
    return Summary(
        periods=periods,
        years=years,
        growth=growth(years, baseline) if baseline else [],
        baseline=baseline,
        top_suppliers=ranked[:top],
        categories=categories,
        classified=classified,
        industries=industries(classified.suppliers.values()),
    )
