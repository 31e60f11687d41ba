"""The table reader shared by the workforce and carbon importers."""

from datetime import date
from decimal import Decimal as D

import pytest

from socialvalue.domain.tables import (
    TableError,
    read_rows,
    table_from,
    to_count,
    to_date,
    to_decimal,
    to_month,
)

ALIASES = {"month": ("Month",), "amount": ("Amount", "Qty")}


def test_the_header_is_found_below_banner_rows_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    banner = "Paper orders 2023/24 – Lancashire"  # the en dash is byte 0x96 in Windows-1252
    text = f"{banner}\r\n\r\nMonth,Qty\r\n2023-04,3\r\n,\r\n2023-05,4\r\n"
    (tmp_path / "t.csv").write_bytes(text.encode("cp1252"))
    [(sheet, rows)] = read_rows(tmp_path / "t.csv")
    table = table_from(rows, file="t.csv", sheet=sheet, aliases=ALIASES, required=("month",))
    assert table.header_row == 3
    assert table.columns == {"month": "Month", "amount": "Qty"}
    # Row 5 is blank and skipped; numbering stays as the spreadsheet shows it.
    assert [(n, dict(cells)) for n, cells in table.rows] == [
        (4, {"month": "2023-04", "amount": "3"}),
        (6, {"month": "2023-05", "amount": "4"}),
    ]


def test_a_utf8_file_with_a_byte_order_mark_reads(tmp_path):
    (tmp_path / "t.csv").write_bytes("\ufeffMonth,Amount\n2023-04,£5\n".encode())
    [(_, rows)] = read_rows(tmp_path / "t.csv")
    assert rows[0] == ["Month", "Amount"]
    assert rows[1] == ["2023-04", "£5"]


def test_an_old_excel_file_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(TableError, match=r"an old Excel \(.xls\) file: save it as .xlsx or .csv"):
        read_rows(tmp_path / "old.xls")


def test_a_broken_xlsx_is_refused(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TableError, match="not a spreadsheet that can be read"):
        read_rows(tmp_path / "x.xlsx")


def test_no_header_says_which_columns_it_looked_for():
    with pytest.raises(TableError, match="no header row naming the columns 'Month', 'Amount'"):
        table_from(
            [["a", "b"]], file="f", sheet=None, aliases=ALIASES, required=("month", "amount")
        )


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        (0.16691, D("0.16691")),
        (1339.31834, D("1339.31834")),
        (3, D(3)),
        ("1,234", D(1234)),
        (" 12.5 ", D("12.5")),
        ("", None),
        ("n/a", None),
        ("nan", None),
        (True, None),
    ],
)
def test_numbers_from_cells(cell, number):
    assert to_decimal(cell) == number


def test_counts_are_whole_and_not_negative():
    assert (to_count("12"), to_count(12.0), to_count("-1"), to_count("2.5")) == (12, 12, None, None)


def test_dates_and_months_including_the_leap_day():
    assert to_date("29/02/2024") == date(2024, 2, 29)
    assert to_date("29/02/2023") is None
    assert to_month("29/02/2024") == date(2024, 2, 1)
    assert to_month("Apr-24") == date(2024, 4, 1)
    assert to_month("April 2024") == date(2024, 4, 1)
    assert to_month("2024-13") is None
