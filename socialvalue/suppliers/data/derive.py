"""Derive the shipped lookups from the source files (run by hand when the sources change).

    python socialvalue/suppliers/data/derive.py /work/shared/data

Reads suppliers/drkane_charity_lookups__* and geography/* from that folder and writes, beside
this script, the compact files described in README.md. Deterministic: the same sources give
byte-identical files (gzip without a timestamp).
"""

import csv
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _gz(name: str, text: str) -> None:
    with open(HERE / name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(text.encode("utf-8"))


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _strip(org_id: str, scheme: str) -> str:
    return org_id[len(scheme) :] if org_id.startswith(scheme) else ""


def main(source: Path) -> None:
    suppliers = source / "suppliers"
    numbers = sorted(
        int(row["reg_number"])
        for row in _rows(suppliers / "drkane_charity_lookups__charity_scale.csv")
        if row["reg_number"].strip().isdigit()
    )
    deltas, previous = [], 0
    for number in numbers:
        deltas.append(str(number - previous))
        previous = number
    _gz("charity-numbers.txt.gz", "\n".join(deltas) + "\n")

    pairs = {}
    for name in ("charity-company-numbers", "cio-company-numbers"):
        path = suppliers / f"drkane_charity_lookups__relationships_{name}.csv"
        for row in _rows(path):
            ids = (row["org_id_a"], row["org_id_b"])
            company = next((_strip(i, "GB-COH-") for i in ids if i.startswith("GB-COH-")), "")
            charity = next(
                (
                    _strip(i, "GB-CHC-") or _strip(i, "GB-SC-")
                    for i in ids
                    if "-CHC-" in i or i.startswith("GB-SC-")
                ),
                "",
            )
            if company and charity and company not in pairs:
                pairs[company] = charity
    _gz(
        "company-charity.csv.gz",
        "company_number,charity_number\n" + "".join(f"{c},{n}\n" for c, n in sorted(pairs.items())),
    )

    societies = set()
    path = suppliers / "drkane_charity_lookups__relationships_mutual-companies.csv"
    for row in _rows(path):
        for org_id in (row["org_id_a"], row["org_id_b"]):
            if org_id.startswith("GB-COH-"):
                societies.add(_strip(org_id, "GB-COH-"))
    _gz("societies.txt.gz", "\n".join(sorted(societies)) + "\n")

    geography = source / "geography"
    successor = {
        row["LADCD"]: row["LADCD_ACTIVE"]
        for row in _rows(geography / "ons_la_all_codes_with_active_successor_drkane.csv")
    }
    text = (geography / "nhs_covid19_app_postdistrict_to_lad_2021-01.json").read_text("utf-8")
    districts = json.loads(text)["postcodes"]
    lines = ["district,authorities"]
    for district in sorted(districts):
        codes = dict.fromkeys(successor.get(c, c) for c in districts[district])
        lines.append(f"{district},{';'.join(sorted(codes))}")
    (HERE / "postcode-districts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    counties: dict[str, set[str]] = {}
    for row in _rows(geography / "ons_la_all_codes_with_active_successor_drkane.csv"):
        if row["Current"] == "TRUE" and row["UTLACD"].startswith("E10"):
            counties.setdefault(row["UTLACD"], set()).add(row["LADCD"])
    (HERE / "county-districts.csv").write_text(
        "county,districts\n"
        + "".join(f"{c},{';'.join(sorted(d))}\n" for c, d in sorted(counties.items())),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
