"""Spend figures of an organisation from its saved ledger lines (docs/spend-files.md, ADR 023).

Every counted line (`SpendLine.objects.counted()`: done imports, files not replaced by a
corrected version) is classified against the organisation's supplier register and local area
as they are now (`socialvalue.domain.suppliers.classify`), then summed per period by the pure
`socialvalue.domain.spend`. The database sums the lines per month and supplier (as written,
with its company number and postcode: `line_groups`), so Python sees a few thousand groups,
not every line; each group is classified once. Every period is a whole number of months.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import OperationalError, connection, transaction
from django.db.models import Aggregate, CharField, Count, Func, IntegerField, Max, Sum
from django.db.models.functions import Abs

from socialvalue.domain.ledger.values import SupplierName
from socialvalue.domain.places import LocalArea as DomainLocalArea
from socialvalue.domain.places import Place
from socialvalue.domain.sic import section_of
from socialvalue.domain.spend import (
    Growth,
    Period,
    PeriodFigures,
    SpendItem,
    financial_year,
    growth,
    spend_figures,
    year_label,
)
from socialvalue.domain.suppliers import (
    INDIVIDUAL_LABEL,
    Kind,
    LineClass,
    SupplierFacts,
    classify,
    normalise_name,
)
from socialvalue.imports.models import Import, SpendLine, State
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


def lines_of(organisation: Organisation, *, start: date | None = None, end: date | None = None):
    lines = SpendLine.objects.counted().filter(organisation=organisation)
    if start is not None:
        lines = lines.filter(date__gte=start)
    if end is not None:
        lines = lines.filter(date__lte=end)
    return lines


@dataclass(frozen=True)
class LineGroup:
    """The counted lines of one month with one supplier as written (name, company number,
    postcode), and with `by_file`, of one file: their sum, their count and, if asked for,
    their rows."""

    month: date  # the first day of the month
    name: str
    company: str
    postcode: str
    amount: Decimal
    lines: int
    file_id: int | None = None
    rows: tuple[int, ...] = ()


class _Month(Func):
    """'2023-04' from a date column, on SQLite (dates kept as ISO text) and PostgreSQL."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')")


class _Units(Aggregate):
    """The sum of the amounts in hundred-millionths of a pound, as an exact integer.

    SQLite keeps a decimal column as a binary float and would sum floats; each amount below
    £10 million is a whole number of 1e-8 units to well within half a unit, so rounding each
    before summing gives the exact sum (`line_groups` checks the largest amount first).
    """

    function = "SUM"
    template = "SUM(CAST(ROUND(%(expressions)s * 100000000) AS INTEGER))"
    output_field = IntegerField()


class _Rows(Aggregate):
    """The row numbers of a group as text, '12,13,40'."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="STRING_AGG(CAST(%(expressions)s AS text), ',')"
        )


# Below this, `_Units` is exact on SQLite (see its note); a larger line sums in Python.
_SQLITE_EXACT_BELOW = Decimal(10_000_000)


# The last grouping worked out, with what identifies its lines: after an import the
# local-spend indicator and then the spend summary group the same lines.
_last_grouping: tuple[tuple, list[LineGroup]] | None = None


def line_groups(
    organisation: Organisation,
    *,
    start: date | None = None,
    end: date | None = None,
    by_file: bool = False,
) -> list[LineGroup]:
    """The counted lines summed per month and supplier as written (and per file with their
    rows, with `by_file`), in the database; sums are exact decimals.

    The grouping is kept for the next call on the same lines: lines are only ever added by
    a finished import, or stop counting when their import is deleted or their file
    replaced, so their count, their highest id and the finishing time of the organisation's
    latest import tell whether they are still the same.
    """
    global _last_grouping
    lines = lines_of(organisation, start=start, end=end).order_by()
    state = lines.aggregate(n=Count("id"), last=Max("id"), biggest=Max(Abs("amount")))
    finished = Import.objects.filter(organisation=organisation, state=State.DONE).aggregate(
        n=Count("id"), last=Max("finished_at")
    )
    key = (
        connection.alias,
        connection.settings_dict["NAME"],
        organisation.pk,
        start,
        end,
        state["n"],
        state["last"],
        finished["n"],
        finished["last"],
    )
    if _last_grouping is not None and _last_grouping[0] == key:
        groups = _last_grouping[1]
    else:
        groups = _grouped(lines, state["biggest"])
        _last_grouping = (key, groups)
    return groups if by_file else _merge_files(groups)


def _merge_files(groups: list[LineGroup]) -> list[LineGroup]:
    merged: dict[tuple, list] = {}
    for g in groups:
        key = (g.month, g.name, g.company, g.postcode)
        found = merged.get(key)
        if found is None:
            merged[key] = [g.amount, g.lines]
        else:
            found[0] += g.amount
            found[1] += g.lines
    return [LineGroup(*key, amount, n) for key, (amount, n) in merged.items()]


def _summed(lines, keys: list[str], extra: dict, biggest: Decimal | None) -> list[tuple] | None:
    """Rows of (*keys, *extra, sum of amounts) with the sums worked out exactly by the
    database; None where it cannot: not SQLite or PostgreSQL, or on SQLite an amount of
    £10 million or more (see `_Units`) or a sum that overflows."""
    vendor = connection.vendor
    if vendor == "sqlite" and (biggest is None or biggest < _SQLITE_EXACT_BELOW):
        total = _Units("amount")
    elif vendor == "postgresql":
        total = Sum("amount")
    else:
        return None
    query = lines.values(*keys).annotate(**extra, total=total)
    try:
        with transaction.atomic():
            if vendor == "postgresql":
                # Room to sort a million lines in memory rather than on disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '256MB'")
            found = list(query.values_list(*keys, *extra, "total"))
    except OperationalError:  # SQLite's integer sum overflowed (over £92 billion)
        return None
    if vendor == "sqlite":
        return [(*row[:-1], Decimal(row[-1]).scaleb(-8)) for row in found]
    return found


def _grouped(lines, biggest: Decimal | None) -> list[LineGroup]:
    """`line_groups` per file, summed in the database when it sums exactly."""
    keys = ["month", "supplier_name", "company_number", "supplier_postcode", "source_file_id"]
    found = _summed(
        lines.annotate(month=_Month("date")),
        keys,
        {"n": Count("id"), "row_list": _Rows("row")},
        biggest,
    )
    if found is None:
        return _line_groups_in_python(lines)
    return [
        LineGroup(
            date(int(month[:4]), int(month[5:7]), 1),
            name,
            company,
            postcode,
            value,
            n,
            file_id,
            tuple(map(int, row_list.split(","))),
        )
        for month, name, company, postcode, file_id, n, row_list, value in found
    ]


def _line_groups_in_python(lines) -> list[LineGroup]:
    """`line_groups` per file, line by line, for amounts the database cannot sum exactly."""
    sums: dict[tuple, list] = {}
    rows = lines.values_list(
        "date",
        "supplier_name",
        "company_number",
        "supplier_postcode",
        "source_file_id",
        "row",
        "amount",
    ).iterator(chunk_size=10_000)
    for day, name, company, postcode, file_id, row, amount in rows:
        key = (day.year, day.month, name, company, postcode, file_id)
        found = sums.get(key)
        if found is None:
            found = sums[key] = [ZERO, 0, []]
        found[0] += amount
        found[1] += 1
        found[2].append(row)
    return [
        LineGroup(date(y, m, 1), name, company, postcode, total, n, file_id, tuple(rows))
        for (y, m, name, company, postcode, file_id), (total, n, rows) in sums.items()
    ]


def expense_totals(
    organisation: Organisation, *, start: date | None = None, end: date | None = None
) -> dict[str, Decimal]:
    """Spend per expense type (blank as UNCATEGORISED), summed exactly."""
    totals: dict[str, Decimal] = {}
    lines = lines_of(organisation, start=start, end=end).order_by()
    biggest = (
        lines.aggregate(biggest=Max(Abs("amount")))["biggest"]
        if connection.vendor == "sqlite"
        else None
    )
    pairs = _summed(lines, ["expense_type"], {}, biggest)
    if pairs is None:
        pairs = list(lines.values_list("expense_type", "amount").iterator(chunk_size=10_000))
    for expense_type, amount in pairs:
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


def classify_lines(
    organisation: Organisation, *, start: date | None = None, end: date | None = None
) -> Classified:
    """Classify and group the organisation's counted lines (within the dates, if given).

    Each `SpendItem` sums the lines of one month with the same classification (its day is
    the month's first): every period the figures use is a whole number of months.
    """
    classifier = Classifier(organisation)
    suppliers = classifier.suppliers
    rows_of: dict[tuple[str, str, str], tuple[LineClass, SupplierTotal]] = {}
    grouped: dict[tuple[date, bool, bool | None, bool | None, bool | None], list] = {}
    totals: dict[object, SupplierTotal] = {}
    count = 0
    for group in line_groups(organisation, start=start, end=end):
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
        categories=expense_totals(organisation, start=start, end=end),
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


def year_of(day: date) -> str:
    return year_label(financial_year(day))
