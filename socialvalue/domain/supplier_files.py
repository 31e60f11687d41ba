"""Reading an organisation's supplier file (CSV or XLSX): all rows or none, with problems.

Columns (any order, header names as in `ALIASES`, banner rows above the header allowed):
name (required), aliases (separated by `;`), postcode, company number, charity number, SME,
VCFSE (yes/no/blank), kind (organisation or public body), SIC codes (UK SIC 2007, several
separated by `;`). The format is described in
docs/suppliers.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from socialvalue.domain.file_readings import Reading, done
from socialvalue.domain.places import postcode_district
from socialvalue.domain.sic import read_sic_codes
from socialvalue.domain.suppliers import (
    looks_like_individual,
    normalise_charity_number,
    normalise_company_number,
    normalise_name,
)
from socialvalue.domain.tables import Problem, Table, TableError, table_from, to_text
from socialvalue.domain.tables import read_rows as read_table_rows

ALIASES = {
    "name": ("name", "supplier", "supplier name", "vendor", "vendor name", "organisation"),
    "aliases": ("aliases", "alias", "other names", "also known as"),
    "postcode": ("postcode", "post code", "supplier postcode"),
    "company_number": ("company number", "company no", "company reg no", "crn"),
    "charity_number": ("charity number", "charity no", "registered charity number"),
    "sme": ("sme", "sme flag", "is sme"),
    "vcfse": ("vcfse", "vcse", "vcfse flag", "is vcfse"),
    "kind": ("kind", "type", "supplier type"),
    "sic": ("sic", "sic code", "sic codes", "sic 2007", "nature of business"),
}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_KINDS = {
    "organisation": "organisation",
    "organization": "organisation",
    "public body": "public body",
}


@dataclass(frozen=True)
class SupplierRow:
    row: int
    name: str
    aliases: tuple[str, ...] = ()
    postcode: str = ""
    company_number: str = ""
    charity_number: str = ""
    sme: bool | None = None
    vcfse: bool | None = None
    kind: str = ""
    sic_codes: tuple[str, ...] = ()

    @property
    def normalised_name(self) -> str:
        return normalise_name(self.name)


def _flag(
    table: Table, number: int, cells: Mapping[str, object], column: str, problems: list[Problem]
) -> bool | None:
    text = to_text(cells.get(column)).casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    problems.append(table.problem(f"'{text}' is not yes, no or blank", row=number, column=column))
    return None


def _table(path: Path, label: str) -> Table:
    """The first sheet with a header naming the supplier column (a CSV is one sheet)."""
    error: TableError | None = None
    for sheet, cells in read_table_rows(path, name=label):
        try:
            return table_from(cells, file=label, sheet=sheet, aliases=ALIASES, required=("name",))
        except TableError as problem:
            error = error or problem
    raise error or TableError(Problem(file=label, message="the file has no sheets"))


def read_suppliers(path: Path, *, name: str | None = None) -> Reading[SupplierRow]:
    label = name or path.name
    try:
        table = _table(path, label)
    except TableError as error:
        return done(label, (), [error.problem], rows_read=0)
    rows: list[SupplierRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        before = len(problems)
        written = to_text(cells.get("name"))
        normal = normalise_name(written)
        kind = _KINDS.get(to_text(cells.get("kind")).casefold(), "")
        if to_text(cells.get("kind")) and not kind:
            problems.append(
                table.problem(
                    "write 'organisation', 'public body' or leave it blank",
                    row=number,
                    column="kind",
                )
            )
        if not normal:
            problems.append(table.problem("the supplier has no name", row=number, column="name"))
        elif kind != "organisation" and looks_like_individual(written):
            # The message never repeats the name: it may be a person's.
            problems.append(
                table.problem(
                    "this looks like a person's name, and the register keeps no people's "
                    "names; if it is a business, write 'organisation' in the kind column",
                    row=number,
                    column="name",
                )
            )
        elif normal in seen:
            problems.append(
                table.problem(
                    f"the same supplier as row {seen[normal]} (names compared without case, "
                    "punctuation and Ltd/Limited)",
                    row=number,
                    column="name",
                )
            )
        else:
            seen[normal] = number
        postcode = " ".join(to_text(cells.get("postcode")).upper().split())
        if postcode and not postcode_district(postcode):
            problems.append(
                table.problem(f"'{postcode}' is not a UK postcode", row=number, column="postcode")
            )
        company_text = to_text(cells.get("company_number"))
        company = normalise_company_number(company_text) if company_text else ""
        if company_text and not company:
            problems.append(
                table.problem(
                    f"'{company_text}' is not a company number (8 digits, or 2 letters and 6 "
                    "digits)",
                    row=number,
                    column="company_number",
                )
            )
        charity_text = to_text(cells.get("charity_number"))
        charity = normalise_charity_number(charity_text) if charity_text else ""
        if charity_text and not charity:
            problems.append(
                table.problem(
                    f"'{charity_text}' is not a charity number (6 or 7 digits, SC and 6 digits, "
                    "or NIC and digits)",
                    row=number,
                    column="charity_number",
                )
            )
        sic_codes, not_sic = read_sic_codes(to_text(cells.get("sic")))
        if not_sic:
            problems.append(
                table.problem(
                    "not a UK SIC 2007 code (5 digits, like 86101; several separated by ;): "
                    + ", ".join(f"'{part}'" for part in not_sic),
                    row=number,
                    column="sic",
                )
            )
        sme = _flag(table, number, cells, "sme", problems)
        vcfse = _flag(table, number, cells, "vcfse", problems)
        aliases = tuple(
            a.strip() for a in to_text(cells.get("aliases")).replace("|", ";").split(";")
        )
        if len(problems) == before:
            rows.append(
                SupplierRow(
                    row=number,
                    name=" ".join(written.split()),
                    aliases=tuple(a for a in aliases if a),
                    postcode=postcode,
                    company_number=company,
                    charity_number=charity,
                    sme=sme,
                    vcfse=vcfse,
                    kind=kind,
                    sic_codes=sic_codes,
                )
            )
    if not table.rows:
        problems.append(table.problem("the file has no suppliers under its header row"))
    return done(
        label,
        rows,
        problems,
        rows_read=len(table.rows),
        layout=f"header row {table.header_row}: " + ", ".join(table.columns.values()),
    )
