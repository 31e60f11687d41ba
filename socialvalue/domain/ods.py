"""Organisation Data Service reference rows: reading the shipped lists and naming them well.

The lists themselves live in socialvalue/organisations/ods/ (with their source and licence);
this module only turns their rows into records, so it is tested without files or a database.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

# Words ODS writes in capitals that stay capitals in a name; the rest are title-cased.
_ACRONYMS = {"NHS", "UK", "ICB", "CIC", "GP", "UCL"}
_SMALL_WORDS = {"AND", "OF", "THE", "FOR", "ON", "UPON", "IN", "AT", "WITH"}


@dataclass(frozen=True)
class OdsRecord:
    """One organisation as the reference lists describe it."""

    code: str
    name: str
    kind: str  # "trust", "icb" or "local_authority": the Organisation kind it becomes
    postcode: str = ""
    icb_code: str = ""
    closed_on: date | None = None


def display_name(name: str) -> str:
    """ODS names are in capitals: "LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST" reads
    "Lancashire Teaching Hospitals NHS Foundation Trust". Names already in mixed case stay."""
    if name != name.upper():
        return name.strip()
    words = name.split()
    return " ".join(_word(word, first=i == 0) for i, word in enumerate(words))


def _word(word: str, *, first: bool) -> str:
    parts = word.split("-")
    return "-".join(_part(part, first=first and i == 0) for i, part in enumerate(parts))


def _part(part: str, *, first: bool) -> str:
    core = part.strip("().,'")
    if core in _ACRONYMS:
        return part
    if core in _SMALL_WORDS and not first:
        return part.lower()
    return part[:1].upper() + part[1:].lower()


def read_trusts(text: str) -> list[OdsRecord]:
    return [
        OdsRecord(
            code=row["code"],
            name=display_name(row["name"]),
            kind="trust",
            postcode=row["postcode"],
            icb_code=row["icb_code"],
            closed_on=date.fromisoformat(row["closed_on"]) if row["closed_on"] else None,
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def read_icbs(text: str) -> list[OdsRecord]:
    return [
        OdsRecord(code=row["code"], name=display_name(row["name"]), kind="icb")
        for row in csv.DictReader(io.StringIO(text))
    ]


def read_local_authorities(text: str) -> list[OdsRecord]:
    return [
        OdsRecord(code=row["code"], name=display_name(row["name"]), kind="local_authority")
        for row in csv.DictReader(io.StringIO(text))
    ]
