"""The shipped lookups (socialvalue/suppliers/data, README there), read once per process."""

import csv
import gzip
from functools import cache
from pathlib import Path

from socialvalue.domain.suppliers import VcfseLookups, normalise_name

DATA = Path(__file__).resolve().parent / "data"
ODS = Path(__file__).resolve().parent.parent / "organisations" / "ods"


@cache
def vcfse_lookups() -> VcfseLookups:
    numbers, total = set(), 0
    with gzip.open(DATA / "charity-numbers.txt.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                total += int(line)
                numbers.add(str(total))
    with gzip.open(DATA / "company-charity.csv.gz", "rt", encoding="utf-8") as f:
        pairs = {row["company_number"]: row["charity_number"] for row in csv.DictReader(f)}
    with gzip.open(DATA / "societies.txt.gz", "rt", encoding="utf-8") as f:
        societies = frozenset(line.strip() for line in f if line.strip())
    return VcfseLookups(
        charity_numbers=frozenset(numbers), company_charity=pairs, societies=societies
    )


@cache
def postcode_districts() -> dict[str, tuple[str, ...]]:
    with open(DATA / "postcode-districts.csv", encoding="utf-8") as f:
        return {row["district"]: tuple(row["authorities"].split(";")) for row in csv.DictReader(f)}


@cache
def county_districts() -> dict[str, tuple[str, ...]]:
    with open(DATA / "county-districts.csv", encoding="utf-8") as f:
        return {row["county"]: tuple(row["districts"].split(";")) for row in csv.DictReader(f)}


@cache
def authority_names() -> dict[str, str]:
    with open(ODS / "local-authorities.csv", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


@cache
def nhs_names() -> frozenset[str]:
    """Normalised names of NHS trusts and ICBs from the ODS lists, open or closed."""
    names = set()
    for file in ("trusts.csv", "icbs.csv"):
        with open(ODS / file, encoding="utf-8") as f:
            names |= {normalise_name(row["name"]) for row in csv.DictReader(f)}
    return frozenset(names)
