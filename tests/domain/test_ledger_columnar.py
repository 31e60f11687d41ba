"""The column reader (`socialvalue.domain.ledger.columnar`, ADR 026) against the row reader.

The import reads a CSV ledger by columns when it can; every report, problem, skipped row and
line must be exactly what the row reader gives. Checked on every real file in
../shared/data/spend/, on small files with each kind of row the columns hand back to the row
reader, on generated files (Hypothesis), and against an independent sum.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.domain.ledger import checking_frames, columnar, parse, validate
from tests.conftest import SHARED_DATA

SPEND = SHARED_DATA / "spend"
LEDGER_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".xlsm")


def both(path: Path) -> list[tuple]:
    """For each table of the file: (read by columns or None, report by columns, report and
    lines row by row)."""
    out = []
    for parsed in parse(path):
        given = parsed.mapping.date_order if parsed.mapping else None
        by_columns = columnar.read(parsed, given)
        report, frames = checking_frames(parsed, by_columns=False)
        read = list(frames)  # the row reader's report is complete once its lines are read
        rows = pl.concat(read) if report.ok else None
        out.append((by_columns, validate(parsed), report, rows))
    return out


def assert_same(by_columns, columns_report, row_report, row_lines) -> None:
    assert by_columns is not None
    assert vars(by_columns.report) == vars(row_report)
    assert vars(columns_report) == vars(row_report)
    if row_report.ok:
        assert by_columns.frame.equals(row_lines)


def test_every_real_csv_the_columns_read_gives_the_row_readers_report_and_lines():
    files = sorted(
        p for p in SPEND.rglob("*") if p.is_file() and p.suffix.lower() in LEDGER_SUFFIXES
    )
    read_by_columns = 0
    for path in files:
        for by_columns, columns_report, row_report, row_lines in both(path):
            if by_columns is None:
                # Not read by columns: `validate` falls back to the row reader.
                assert vars(columns_report) == vars(row_report), path
                continue
            read_by_columns += 1
            assert_same(by_columns, columns_report, row_report, row_lines)
    # Most real CSV files are read by columns (the rest are workbooks, cp437, bare CRs...).
    assert read_by_columns >= 100


def write(tmp_path: Path, text: str, encoding: str = "cp1252", name: str = "l.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


MESSY = (
    "Spend over £25,000\r\n"
    "\r\n"
    "Date,Supplier,Amount,Expense Type,Supplier Postcode\r\n"
    '30/04/2023,UK0479435601 : Prime Care Ltd,"£1,234.56",Drugs ,pr1 2ab\r\n'
    "\r\n"
    ",,,,\r\n"
    "01/05/2023,KINGS COLLEGE LONDON:03529700,(£20.00),Agency  Staff,\r\n"
    '02/05/2023,Acme Ltd,"1,200.00 CR",Drugs,\r\n'
    "Date,Supplier,Amount,Expense Type,Supplier Postcode\r\n"
    "03/05/2023,Acme Ltd , -600 ,\tDrugs\x1f,\r\n"
    "04/05/2023,Acme Ltd,-0.00,Drugs,\r\n"
    "05/05/2023,Acme Ltd,.5,Drugs,\r\n"
    ',Total,"£1,816.06",,\r\n'
    ",,,A note about these payments,\r\n"
)


def test_rows_the_columns_cannot_settle_are_read_by_the_row_reader(tmp_path):
    [(by_columns, columns_report, row_report, row_lines)] = both(write(tmp_path, MESSY))
    assert_same(by_columns, columns_report, row_report, row_lines)
    report = by_columns.report
    assert report.ok, report.problems
    assert dict(report.skipped) == {
        "banner above the header row": 1,
        "blank": 2,
        "repeated header row": 1,
        "footer total": 1,
        "no date, supplier or amount (a note)": 1,
    }
    assert report.rows == 6
    lines = by_columns.frame
    assert lines["amount"].to_list() == ["1234.56", "-20.00", "-1200.00", "-600", "-0.00", "0.5"]
    assert lines["expense_type"].to_list()[:4] == ["Drugs", "Agency Staff", "Drugs", "Drugs"]
    assert lines["supplier_name"].to_list()[:2] == ["Prime Care Ltd", "KINGS COLLEGE LONDON"]
    assert lines["supplier_ledger_id"][0] == "UK0479435601"
    assert lines["company_number"][1] == "03529700"
    assert lines["supplier_postcode"][0] == "PR1 2AB"
    # -0.00 is not a credit; the three credits sum as the row reader sums them.
    assert report.credit_rows == 3
    assert report.credits == Decimal("-1820.00")
    assert report.total == Decimal("1234.56") - 1820 + Decimal("0.5")


def test_problems_come_in_row_order_with_row_and_column_as_the_row_reader_gives_them(tmp_path):
    text = (
        "Date,Supplier,Amount\r\n"
        "30/04/2023,Acme Ltd,12,34\r\n"
        "31/04/2023,Acme Ltd,5.00\r\n"
        "01/05/2023,,5.00\r\n"
        "02/05/2023,Acme Ltd,\r\n"
        "soon,Acme Ltd,1.0000000001\r\n"
    )
    [(by_columns, columns_report, row_report, row_lines)] = both(write(tmp_path, text))
    assert_same(by_columns, columns_report, row_report, row_lines)
    assert [(p.row, p.column) for p in by_columns.report.problems] == [
        (3, "A (Date)"),
        (4, "B (Supplier)"),
        (5, "C (Amount)"),
        (6, "A (Date)"),
    ]
    assert by_columns.report.rows_rejected == 4
    assert by_columns.report.total == 0  # a refused file has no total


@pytest.mark.parametrize(
    "text",
    [
        "Date,Supplier,Amount\r1/1/2023,A,1\r13/1/2023,B,2\r",  # bare carriage returns
        'Date,Supplier,Amount\r\n13/1/2023,"Acme\r\nLtd",1\r\n',  # a quoted line break
        "Date,Supplier,Amount\r\n",  # no row under the header
    ],
)
def test_files_the_columns_cannot_read_as_csv_reader_does_are_left_to_the_row_reader(
    tmp_path, text
):
    [parsed] = parse(write(tmp_path, text))
    assert columnar.read(parsed, None) is None
    assert vars(validate(parsed)) == vars(validate(parsed, by_columns=False))


def test_the_space_characters_are_pythons():
    python = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert python == columnar.SPACE


def test_totals_equal_an_independent_sum(tmp_path):
    rows = [("Date", "Supplier", "Amount")]
    expected = Decimal(0)
    for i in range(1, 3000):
        pence = (i * 7919) % 1_000_000
        text = f"£{pence // 100:,}.{pence % 100:02d}"
        if i % 13 == 0:
            text, pence = f"({text})", -pence
        rows.append((f"{1 + i % 28:02d}/{1 + i % 12:02d}/2023", f"Supplier {i % 50}", text))
        expected += Decimal(pence) / 100
    path = tmp_path / "sum.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f).writerows(rows)
    [parsed] = parse(path)
    read = columnar.read(parsed, None)
    assert read is not None and read.report.ok
    assert read.report.total == expected
    assert sum(Decimal(a) for a in read.frame["amount"].to_list()) == expected


CELLS = {
    "date": ["30/04/2023", " 1/5/2023", "2023-05-02", "12-May-23", "45000", "", "31/02/2023"],
    "supplier": ["Acme Ltd", " Acme  Ltd ", "UK12345678 : Bay CIC", "", "Total", "X:03529700"],
    "amount": ["£1,234.56", "(£20.00)", "-600", "77,041", "49,521.52 ", "1,200.00 CR", "", "12,34"],
    "text": ["Drugs", " Drugs ", "Agency  Staff", "", "a\tb"],
}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.one_of(
            st.tuples(*(st.sampled_from(CELLS[k]) for k in ("date", "supplier", "amount", "text"))),
            st.just(("", "", "", "")),
            st.just(("Date", "Supplier", "Amount", "Expense Type")),
        ),
        min_size=1,
        max_size=25,
    ),
    encoding=st.sampled_from(["cp1252", "utf-8", "utf-8-sig"]),
)
def test_generated_ledgers_read_the_same_by_columns_and_by_rows(tmp_path, rows, encoding):
    path = tmp_path / "gen.csv"
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(["Date", "Supplier", "Amount", "Expense Type"])
        out.writerows(rows)
    for by_columns, columns_report, row_report, row_lines in both(path):
        if by_columns is None:
            assert vars(columns_report) == vars(row_report)
        else:
            assert_same(by_columns, columns_report, row_report, row_lines)


@pytest.mark.parametrize(
    "text",
    [
        'Date,Supplier,Amount\r\n01/05/2023,Ac"me Ltd,5.00\r\n13/05/2023,B,1\r\n',
        'Date,Supplier,Amount\r\n01/05/2023,"Acme" Ltd,5.00\r\n13/05/2023,B,1\r\n',
        'Date,Supplier,Amount\r\n01/05/2023, "Acme, Ltd",5.00\r\n13/05/2023,B,1\r\n',
        'Date,Supplier,Amount\r\n01/05/2023,"Acme Ltd,5.00\r\n13/05/2023,B,1\r\n',
        'Date,Supplier,Amount\r\n01/05/2023,"Acme ""Big"" Ltd",5.00\r\n13/05/2023,B,1\r\n',
        "Date\tSupplier\tAmount\r\n01/05/2023\tAcme Ltd\t5.00\r\n13/05/2023\tB\t1\r\n",
        'Date;Supplier;Amount\r\n01/05/2023;"Acme; Ltd";"5,00"\r\n13/05/2023;B;1\r\n',
        "Date,Supplier,Amount\n01/05/2023,Acme\x00 Ltd,5.00\n13/05/2023,B,1",
    ],
)
def test_quoting_and_separators_read_the_same_either_way(tmp_path, text):
    path = write(tmp_path, text, encoding="utf-8")
    for by_columns, columns_report, row_report, row_lines in both(path):
        if by_columns is None:
            assert vars(columns_report) == vars(row_report)
        else:
            assert_same(by_columns, columns_report, row_report, row_lines)
