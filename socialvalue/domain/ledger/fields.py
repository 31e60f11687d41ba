"""Canonical ledger fields and the header names each is known by (docs/spend-files.md).

Header text is compared after `normalise_header`: lower case, anything in brackets dropped
(`Net Amount(£)`), punctuation and repeated spaces folded, so `Expense Type `, `Name:  ` and
`HBC Ref No.` match without listing every spelling. Typos seen in real files are listed as
aliases (`Entuty`); a header one letter away from an alias of six letters or more also matches,
and the layout says so.
"""

import re
import unicodedata
from enum import StrEnum


class Field(StrEnum):
    DEPARTMENT_FAMILY = "department_family"
    BODY = "body"
    DATE = "date"
    EXPENSE_TYPE = "expense_type"
    EXPENSE_AREA = "expense_area"
    SUPPLIER = "supplier"
    TRANSACTION_NUMBER = "transaction_number"
    INVOICE_NUMBER = "invoice_number"
    AMOUNT = "amount"
    DESCRIPTION = "description"
    VAT_NUMBER = "vat_number"
    SUPPLIER_POSTCODE = "supplier_postcode"
    COMPANY_NUMBER = "company_number"


REQUIRED = (Field.DATE, Field.SUPPLIER, Field.AMOUNT)

ALIASES: dict[Field, tuple[str, ...]] = {
    Field.DEPARTMENT_FAMILY: ("department family", "departmental family", "dept family"),
    Field.BODY: ("entity", "entuty", "body", "body name", "organisation", "organisation name"),
    Field.DATE: (
        "date",
        "date paid",
        "payment date",
        "paid date",
        "transaction date",
        "date of payment",
        "posting date",
    ),
    Field.EXPENSE_TYPE: (
        "expense type",
        "expenditure type",
        "account detail",
        "9an level 9 account name",
        "account name",
        "subjective",
        "subjective description",
    ),
    Field.EXPENSE_AREA: (
        "expense area",
        "expenses area",
        "service area",
        "service cost centre",
        "cost centre name",
        "cost centre",
        "directorate",
    ),
    Field.SUPPLIER: (
        "supplier",
        "supplier name",
        "name",
        "payee",
        "payee name",
        "vendor",
        "vendor name",
        "beneficiary",
    ),
    Field.TRANSACTION_NUMBER: (
        "transaction number",
        "transaction reference",
        "transaction no",
        "transaction ref",
        "payment number",
        "hbc ref no",
        "reference",
        "their reference",
    ),
    Field.INVOICE_NUMBER: ("invoice number", "invoice no", "invoice reference"),
    Field.AMOUNT: (
        "amount",
        "net amount",
        "amount paid",
        "total amount",
        "value",
        "payment amount",
        "amount gbp",
        # Guy's and St Thomas', Kingston: "Amount in Sterling", " Amount in Sterling £".
        "amount in sterling",
        "amount sterling",
    ),
    Field.DESCRIPTION: ("description", "narrative", "details", "purpose of expenditure"),
    Field.VAT_NUMBER: (
        "vat number",
        "vat registration number",
        "vat reg no",
        "supplier vat number",
    ),
    Field.SUPPLIER_POSTCODE: ("supplier postcode", "postcode", "supplier post code", "post code"),
    Field.COMPANY_NUMBER: (
        "company number",
        "companies house number",
        "company registration number",
        "supplier company number",
    ),
}

# Headers seen in real files that carry nothing a payment line needs; listed so the layout
# report can say they were recognised and left out on purpose.
IGNORED = (
    "financial year",
    "financial period",
    "line",
    "recid",
    "department area",
    "month",
    "period",
    "accounting year",
)

_BY_ALIAS: dict[str, Field] = {alias: field for field, names in ALIASES.items() for alias in names}


_BRACKETED = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    text = _NOT_WORD.sub(" ", _BRACKETED.sub(" ", text.lower()))
    return " ".join(text.split())


def match_header(text: str) -> tuple[Field | None, bool]:
    """The field a header names, and whether it matched only by a close spelling."""
    name = normalise_header(text)
    if not name:
        return None, False
    if name in _BY_ALIAS:
        return _BY_ALIAS[name], False
    if len(name) >= 6:
        close = {f for alias, f in _BY_ALIAS.items() if len(alias) >= 6 and _one_edit(name, alias)}
        if len(close) == 1:
            return close.pop(), True
    return None, False


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion, deletion or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def aliases_text(field: Field) -> str:
    return ", ".join(f"'{a}'" for a in ALIASES[field])
