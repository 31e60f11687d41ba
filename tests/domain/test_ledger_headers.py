"""The column names and sample values of a ledger whose layout the reader does not know,
for the page that asks which column is which (socialvalue/domain/ledger/headers.py)."""

import pytest

from socialvalue.domain.ledger import ColumnMapping, parse, validate
from socialvalue.domain.ledger.fields import Field
from socialvalue.domain.ledger.headers import table_headers
from tests.conftest import SHARED_DATA


def write(tmp_path, text, name="ledger.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_the_header_row_under_banners_with_guesses_and_samples(tmp_path):
    path = write(
        tmp_path,
        "Spend over £25,000,,,,\n"
        "Period: April 2023,,,,\n"
        "\n"
        "Paid On,Creditor,Gross £,Expense Type,\n"
        "01/04/2023,Acme Ltd,£1.00,Stock,x\n"
        "02/04/2023,Acme Ltd,£2.00,Stock,\n"
        "03/04/2023,Bolt Ltd,£3.00,Drugs,\n",
    )
    [table] = table_headers(path, samples=2)
    assert (table.file, table.sheet, table.header_row) == ("ledger.csv", None, 4)
    # The blank-named fifth column is not offered: a layout is remembered by column names.
    assert [(c.letter, c.header, c.guess) for c in table.columns] == [
        ("A", "Paid On", None),
        ("B", "Creditor", None),
        ("C", "Gross £", None),
        ("D", "Expense Type", Field.EXPENSE_TYPE),
    ]
    # Distinct values, in the file's order, at most `samples` of them.
    assert [c.samples for c in table.columns] == [
        ("01/04/2023", "02/04/2023"),
        ("Acme Ltd", "Bolt Ltd"),
        ("£1.00", "£2.00"),
        ("Stock", "Drugs"),
    ]


def test_a_data_row_with_more_cells_than_the_header_does_not_take_its_place(tmp_path):
    # The header leaves its first column unnamed; data rows fill it with a line number.
    path = write(tmp_path, ",Paid On,Creditor,Gross\n1,01/04/2023,Acme Ltd,1.00\n")
    [table] = table_headers(path)
    assert table.header_row == 1
    assert [c.header for c in table.columns] == ["Paid On", "Creditor", "Gross"]


def test_a_field_is_guessed_for_its_first_column_only(tmp_path):
    path = write(tmp_path, "Supplier,Supplier Name,Paid,Value\nAcme,Acme Ltd,1/4/23,1\n")
    [table] = table_headers(path)
    assert [c.guess for c in table.columns] == [Field.SUPPLIER, None, None, Field.AMOUNT]


def test_a_file_with_no_named_row_or_unreadable_gives_nothing(tmp_path):
    assert table_headers(write(tmp_path, "1,2,3\n4,5,6\n")) == []
    assert table_headers(write(tmp_path, "", name="empty.csv")) == []
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert table_headers(broken) == []
    assert table_headers(tmp_path / "missing.csv") == []


def test_the_names_found_make_a_mapping_the_reader_accepts(tmp_path):
    path = write(tmp_path, "Title,,\nPaid On,Creditor,Gross\n12-May-20,Acme Ltd,10.50\n")
    [table] = table_headers(path)
    mapping = ColumnMapping(
        columns={"date": table.columns[0].header, "supplier": "Creditor", "amount": "Gross"}
    )
    [parsed] = parse(path, mapping=mapping)
    report = validate(parsed)
    assert report.ok and str(report.total) == "10.50" and parsed.layout.header_row == 2


SPEND = SHARED_DATA / "spend"


@pytest.mark.skipif(not SPEND.is_dir(), reason=f"the shared public data set is not at {SPEND}")
def test_a_workbook_sheet_and_a_named_sheet(tmp_path):
    path = SPEND / "nhs-london-2020-21" / "HILL" / "HILL 03-05 - June to August.xlsx"
    tables = table_headers(path)
    assert [t.sheet for t in tables] == ["Sheet2"]
    [table] = tables
    assert table.header_row == 1
    assert [c.header for c in table.columns][:3] == ["Department Family", "Entity", "Date"]
    assert table.columns[2].samples[:2] == ("22/07/2020", "25/06/2020")
    assert table_headers(path, sheet="No such sheet") == []
