"""The shipped reference lists (see README.md here for their source and licence)."""

from functools import cache
from pathlib import Path

from socialvalue.domain.ods import OdsRecord, read_icbs, read_local_authorities, read_trusts

HERE = Path(__file__).resolve().parent
LISTS = {
    "trusts.csv": read_trusts,
    "icbs.csv": read_icbs,
    "local-authorities.csv": read_local_authorities,
}


@cache
def reference() -> dict[str, OdsRecord]:
    """Every organisation in the lists, by code."""
    records: dict[str, OdsRecord] = {}
    for filename, read in LISTS.items():
        for record in read((HERE / filename).read_text(encoding="utf-8")):
            records[record.code] = record
    return records


def lookup(code: str) -> OdsRecord | None:
    return reference().get(code.strip().upper())
