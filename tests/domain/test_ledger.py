"""Payment ledgers read as they really come: every quirk on a small inline file."""

import zipfile
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest

from socialvalue.domain.ledger import (
    ColumnMapping,
    DateOrder,
    clean_supplier,
    lines,
    parse,
    parse_amount,
    parse_date,
    validate,
)
from socialvalue.domain.ledger.fields import Field, match_header
from socialvalue.domain.ledger.ledgerfile import column_index, column_letter
from socialvalue.domain.ledger.reading import detect_encoding
from socialvalue.domain.ledger.values import excel_number

HEADER = (
    "Department Family,Entity,Date,Expense Type,Expense Area,Supplier,Transaction Number,Amount"
)


def write(tmp_path, text, name="ledger.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def check(path, **kwargs):
    [parsed] = parse(path, **kwargs)
    return parsed, validate(parsed)


# Dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("30/04/2020", DateOrder.DAY_FIRST, date(2020, 4, 30)),
        ("4/30/2020", DateOrder.MONTH_FIRST, date(2020, 4, 30)),
        ("12-May-20", None, date(2020, 5, 12)),
        ("30-NOV-2020", None, date(2020, 11, 30)),
        ("28/02/21", DateOrder.DAY_FIRST, date(2021, 2, 28)),
        ("3 Apr 2023", None, date(2023, 4, 3)),
        ("21 November 2023", None, date(2023, 11, 21)),
        ("2020-04-03 00:00:00", None, date(2020, 4, 3)),
        ("2020-04-03", None, date(2020, 4, 3)),
        ("2020/04/03", None, date(2020, 4, 3)),
        ("30/04/2020 00:00", DateOrder.DAY_FIRST, date(2020, 4, 30)),
        ("4/30/2020 14:32:05", DateOrder.MONTH_FIRST, date(2020, 4, 30)),
        ("2020-04-30T09:15", None, date(2020, 4, 30)),
        # Spreadsheet serials: 43658 is 12 July 2019 (worked from 30 Dec 1899 + 43658 days).
        ("43658", None, date(2019, 7, 12)),
        ("43831", None, date(2020, 1, 1)),
        ("44196", None, date(2020, 12, 31)),
        ("43890", None, date(2020, 2, 29)),
        ("01/01/2020", DateOrder.DAY_FIRST, date(2020, 1, 1)),
        ("31/12/2020", DateOrder.DAY_FIRST, date(2020, 12, 31)),
        ("29/02/2020", DateOrder.DAY_FIRST, date(2020, 2, 29)),
        ("2/29/2020", DateOrder.MONTH_FIRST, date(2020, 2, 29)),
        ("29-Feb-20", None, date(2020, 2, 29)),
    ],
)
def test_dates_in_every_form_ledgers_use(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("29/02/2021", "'29/02/2021' is not a real date"),
        ("31-Apr-20", "'31-Apr-20' is not a real date"),
        ("12-Mab-20", "'Mab' is not a month"),
        ("soon", "'soon' is not a date"),
        ("123", "'123' is not a date"),
        ("2020-04/30", "'2020-04/30' is not a date"),
        ("", "the date is empty"),
        ("04/05/2020", "could be day-first or month-first"),
    ],
)
def test_dates_that_cannot_be_read_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text, None if "04/05" in text else DateOrder.DAY_FIRST)


# Amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£59,556.73", "59556.73"),
        ("77,041", "77041"),
        ("49,521.52 ", "49521.52"),
        (" 1 250.00 ", "1250.00"),
        ("-85,260.00", "-85260.00"),
        ("(1,200.50)", "-1200.50"),
        ("1,200.50 CR", "-1200.50"),
        ("1,200.50CR", "-1200.50"),
        ("£1,200.50 DR", "1200.50"),
        ("1200.50-", "-1200.50"),
        ("-£600", "-600"),
        ("£-600", "-600"),
        ("0.10", "0.10"),
        ("340", "340"),
        ("1,234,567.89", "1234567.89"),
        ("£ 1,000", "1000"),
    ],
)
def test_amounts_keep_every_penny_as_decimal(text, expected):
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["abc", "1.2.3", "£", "12,34x", "--5", "12,34", "1,2,3", "1,0000.00", "(5"]
)
def test_text_that_is_not_money_is_refused(text):
    with pytest.raises(ValueError, match="is not an amount of money"):
        parse_amount(text)


def test_excel_floating_point_noise_becomes_the_displayed_number():
    assert excel_number("60110413.539999977") == "60110413.54"
    assert excel_number("0.30000000000000004") == "0.3"
    assert excel_number("46762.1") == "46762.1"
    assert excel_number("Supplier 1.2345") == "Supplier 1.2345"


# Suppliers ---------------------------------------------------------------------------


def test_supplier_with_ledger_id():
    s = clean_supplier("UK0479435601 : Prime Care Solutions (Kingston) Ltd")
    assert (s.name, s.ledger_id) == ("Prime Care Solutions (Kingston) Ltd", "UK0479435601")
    assert s.raw == "UK0479435601 : Prime Care Solutions (Kingston) Ltd"


def test_supplier_with_company_number():
    s = clean_supplier("KINGS COLLEGE LONDON:03529700")
    assert (s.name, s.company_number) == ("KINGS COLLEGE LONDON", "03529700")
    assert clean_supplier("Acme Ltd - SC123456").company_number == "SC123456"


def test_supplier_with_vat_number():
    s = clean_supplier("Widget Supplies Ltd VAT No GB 123 4567 89")
    assert (s.name, s.vat_number) == ("Widget Supplies Ltd", "GB123456789")


def test_plain_supplier_is_kept_as_it_is_apart_from_spaces():
    s = clean_supplier(" AAH PHARMACEUTICA   KINGS COLL HOSP ")
    assert s.name == "AAH PHARMACEUTICA KINGS COLL HOSP"
    assert (s.ledger_id, s.company_number, s.vat_number) == ("", "", "")
    # A number that is part of the name is not an identifier.
    assert clean_supplier("3m United Kingdom Plc").name == "3m United Kingdom Plc"
    assert clean_supplier("24/7 Flooring Ltd").company_number == ""


# Headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field", "close"),
    [
        ("Entuty", Field.BODY, False),
        ("Expense Type ", Field.EXPENSE_TYPE, False),
        ("Net Amount(£)", Field.AMOUNT, False),
        ("Net Amount (œ)", Field.AMOUNT, False),
        ("Name:  ", Field.SUPPLIER, False),
        ("HBC Ref No.", Field.TRANSACTION_NUMBER, False),
        ("\ufeffDepartment Family", Field.DEPARTMENT_FAMILY, False),
        ("Suplier Name", Field.SUPPLIER, True),
        ("Amuont", Field.AMOUNT, True),
        # Real headers of Guy's and St Thomas' (May 2020) and Kingston (October 2020).
        ("Amount in Sterling", Field.AMOUNT, False),
        (" Amount in Sterling £", Field.AMOUNT, False),
        ("Dept Family", Field.DEPARTMENT_FAMILY, False),
        ("Colour", None, False),
    ],
)
def test_header_aliases(header, field, close):
    assert match_header(header) == (field, close)


def test_column_letters_round_trip():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert [column_index(x) for x in ("A", "q", "AA", 3, "3")] == [0, 16, 26, 2, 2]


# Whole files -------------------------------------------------------------------------


def test_reordered_columns_banner_rows_blank_rows_and_footer_total(tmp_path):
    text = (
        "Spend over £25,000 - April 2020,,,\n"
        ",,,\n"
        "amount , Supplier Name,Transaction Number,Date Paid\n"
        '"£1,000.00",Acme Ltd,1,30/04/2020\n'
        ",,,\n"
        '"(250.50)",Beta Ltd,2,01/04/2020\n'
        "  ,  ,  ,  \n"
        '"749.50",,,\n'
    )
    parsed, report = check(write(tmp_path, text))
    assert report.ok, report.problems
    assert parsed.layout.header_row == 3
    assert parsed.layout.describe() == {
        "amount": "A (amount)",
        "supplier": "B (Supplier Name)",
        "transaction_number": "C (Transaction Number)",
        "date": "D (Date Paid)",
    }
    assert (report.rows, report.total) == (2, Decimal("749.50"))
    assert (report.credit_rows, report.credits) == (1, Decimal("-250.50"))
    assert report.skipped == {
        "banner above the header row": 1,
        "blank": 2,
        "footer total": 1,
    }
    assert (report.earliest, report.latest) == (date(2020, 4, 1), date(2020, 4, 30))
    assert report.date_order == DateOrder.DAY_FIRST
    rows = list(lines(parsed, report))
    assert [(r.source.row, r.supplier.name, r.amount) for r in rows] == [
        (4, "Acme Ltd", Decimal("1000.00")),
        (6, "Beta Ltd", Decimal("-250.50")),
    ]


def test_row_numbers_count_records_not_lines(tmp_path):
    text = HEADER + '\nDoH,Trust,30/04/2020,"Two\nlines",Area,Acme,1,10\nDoH,Trust,x,T,A,B,2,5\n'
    _, report = check(write(tmp_path, text))
    assert [str(p) for p in report.problems] == [
        "ledger.csv:3:C (Date): 'x' is not a date in a form this reader knows"
    ]


def test_every_bad_cell_is_reported_with_file_row_and_column_and_nothing_loads(tmp_path):
    text = (
        HEADER + "\n"
        "DoH,Trust,31/04/2020,T,A,Acme,1,10.00\n"
        "DoH,Trust,30/04/2020,T,A,,2,ten pounds\n"
        "DoH,Trust,29/04/2020,T,A,Beta,3,12.00\n"
    )
    parsed, report = check(write(tmp_path, text))
    assert [str(p) for p in report.problems] == [
        "ledger.csv:2:C (Date): '31/04/2020' is not a real date",
        "ledger.csv:3:H (Amount): 'ten pounds' is not an amount of money",
        "ledger.csv:3:F (Supplier): the supplier is empty",
    ]
    assert (report.rows, report.rows_rejected, report.rows_accepted) == (3, 2, 0)
    assert report.total == 0
    with pytest.raises(ValueError, match="nothing from it can be loaded"):
        list(lines(parsed, report))


def test_missing_required_column_names_the_aliases_looked_for(tmp_path):
    text = "Entity,Date,Supplier,Expense Type\nTrust,01/04/2020,Acme,Drugs\n"
    _, report = check(write(tmp_path, text))
    [problem] = report.problems
    assert str(problem).startswith(
        "ledger.csv:1: the header row has no column for amount (looked for 'amount', "
        "'net amount', 'amount paid'"
    )


def test_a_file_without_a_header_row_is_refused_with_the_way_out(tmp_path):
    text = "Trust,01/04/2020,Acme,100.00\nTrust,02/04/2020,Beta,200.00\n"
    _, report = check(write(tmp_path, text))
    [problem] = report.problems
    assert problem.row is None
    assert "no header row found" in problem.message
    assert "give a column mapping by column letter" in problem.message


def test_explicit_mapping_by_column_letter_for_a_file_without_a_header(tmp_path):
    text = "Trust,01/04/2020,Acme,100.00\nTrust,02/04/2020,Beta,200.00\n"
    mapping = ColumnMapping(
        columns={"body": "A", "date": "B", "supplier": "C", "amount": 4},
        has_header=False,
        date_order=DateOrder.DAY_FIRST,
    )
    stored = mapping.to_dict()
    assert stored == {
        "columns": {"body": "A", "date": "B", "supplier": "C", "amount": 4},
        "has_header": False,
        "date_order": "day-first",
    }
    parsed, report = check(write(tmp_path, text), mapping=ColumnMapping.from_dict(stored))
    assert report.ok, report.problems
    assert (report.rows, report.total) == (2, Decimal("300.00"))
    assert [line.body for line in lines(parsed, report)] == ["Trust", "Trust"]


def test_explicit_mapping_by_header_text_for_an_unknown_layout(tmp_path):
    text = "Paid On,Creditor,Gross £\n30/04/2020,Acme,12.00\n"
    _, refused = check(write(tmp_path, text))
    assert not refused.ok
    mapping = ColumnMapping(
        columns={"date": "Paid On", "supplier": "Creditor", "amount": "Gross £"}
    )
    _, report = check(write(tmp_path, text), mapping=mapping)
    assert (report.ok, report.rows, report.total) == (True, 1, Decimal("12.00"))


def test_a_mapping_must_name_known_fields():
    with pytest.raises(ValueError, match="unknown field"):
        ColumnMapping.from_dict({"columns": {"colour": "A"}})


def test_header_sorted_to_the_bottom_reads_the_rows_above(tmp_path):
    text = (
        'ENVH,,BAA,,Agency,,,1,,CR1,,Oyster,,,02/09/2025,,"1,450.18"\n'
        "RESO,,AAB,,Vouchers,,,1,,CR2,,Blackhawk,,,30/09/2025,,715.73\n"
        "Department Area,,Service Area,,Description,,,Line,,HBC Ref No.,,Name:  ,,,"
        "Payment Date,,Amount Paid\n"
    )
    parsed, report = check(write(tmp_path, text))
    assert report.ok, report.problems
    assert (parsed.layout.header_row, parsed.layout.header_at_end) == (3, True)
    assert (report.rows, report.total) == (2, Decimal("2165.91"))


def test_banners_above_a_header_with_no_data_are_not_read_as_data(tmp_path):
    text = "Spend over £25,000,,\nApril 2020,,\nDate,Supplier,Amount\n"
    _, report = check(write(tmp_path, text))
    assert [p.message for p in report.problems] == ["the file has no payment lines"]


def test_a_header_far_down_in_the_middle_of_data_is_refused(tmp_path):
    data = "".join(f"30/04/2020,Acme,{i}.00\n" for i in range(60))
    text = data + "Date,Supplier,Amount\n" + data
    _, report = check(write(tmp_path, text))
    assert [str(p) for p in report.problems] == [
        "ledger.csv:61: the header row is at row 61, not in the first 50 rows and not the "
        "last row: move it to the top of the data"
    ]


def test_problems_are_capped_per_file_and_the_rest_counted(tmp_path):
    text = "Date,Supplier,Amount\n" + "30/04/2020,Acme,ten\n" * 250
    _, report = check(write(tmp_path, text))
    assert (len(report.problems), report.problems_left_out) == (200, 50)
    assert report.rows_rejected == 250


def test_day_first_decided_from_the_whole_column(tmp_path):
    # 01/04 and 02/04 alone could be either; 30/04 further down settles it for them all.
    text = (
        HEADER
        + "\n"
        + "\n".join(
            f"DoH,Trust,{d},T,A,Acme,{i},1.00"
            for i, d in enumerate(["01/04/2020", "02/04/2020", "30/04/2020"])
        )
    )
    parsed, report = check(write(tmp_path, text))
    assert report.date_order == DateOrder.DAY_FIRST
    assert [line.date for line in lines(parsed, report)] == [
        date(2020, 4, 1),
        date(2020, 4, 2),
        date(2020, 4, 30),
    ]


def test_month_first_decided_from_the_whole_column(tmp_path):
    text = HEADER + "\nDoH,Trust,4/1/2020,T,A,Acme,1,1\nDoH,Trust,4/30/2020,T,A,Acme,2,1\n"
    parsed, report = check(write(tmp_path, text))
    assert report.date_order == DateOrder.MONTH_FIRST
    assert [line.date for line in lines(parsed, report)] == [date(2020, 4, 1), date(2020, 4, 30)]


def test_ambiguous_dates_are_refused_unless_the_mapping_says(tmp_path):
    text = HEADER + "\nDoH,Trust,01/04/2020,T,A,Acme,1,1\nDoH,Trust,02/04/2020,T,A,Acme,2,1\n"
    path = write(tmp_path, text)
    _, report = check(path)
    assert [str(p) for p in report.problems] == [
        "ledger.csv:C (Date): every date could be day-first or month-first (such as "
        "'01/04/2020' in row 2): say which in the column mapping"
    ]
    mapping = ColumnMapping(
        columns={"date": "Date", "supplier": "Supplier", "amount": "Amount"},
        date_order=DateOrder.MONTH_FIRST,
    )
    parsed, report = check(path, mapping=mapping)
    assert [line.date for line in lines(parsed, report)] == [date(2020, 1, 4), date(2020, 2, 4)]


def test_dates_that_disagree_are_refused(tmp_path):
    text = HEADER + "\nDoH,Trust,30/04/2020,T,A,Acme,1,1\nDoH,Trust,4/30/2020,T,A,Acme,2,1\n"
    _, report = check(write(tmp_path, text))
    [problem] = report.problems
    assert problem.message == (
        "dates disagree: '30/04/2020' (row 2) is day-first but '4/30/2020' (row 3) is month-first"
    )


def test_first_and_last_day_of_the_year_and_a_leap_day(tmp_path):
    text = HEADER + (
        "\nDoH,Trust,01/01/2020,T,A,Acme,1,1.00"
        "\nDoH,Trust,29/02/2020,T,A,Acme,2,2.00"
        "\nDoH,Trust,31/12/2020,T,A,Acme,3,3.00\n"
    )
    parsed, report = check(write(tmp_path, text))
    assert (report.earliest, report.latest) == (date(2020, 1, 1), date(2020, 12, 31))
    assert [line.date for line in lines(parsed, report)][1] == date(2020, 2, 29)


@pytest.mark.parametrize(
    ("encoding", "pound", "expected"),
    [
        ("utf-8", "£", "utf-8"),
        ("utf-8-sig", "£", "utf-8-sig"),
        ("cp1252", "£", "cp1252"),
        ("cp437", "£", "cp437"),
        ("utf-16", "£", "utf-16"),
    ],
)
def test_encodings_are_detected_and_the_pound_sign_survives(tmp_path, encoding, pound, expected):
    text = (
        f"Date,Supplier,Net Amount({pound})\n"
        f'30/04/2020,Café Ltd,"{pound}1,000.00"\n'
        f"01/04/2020,Bistro,{pound}2.50\n"
    )
    path = write(tmp_path, text, encoding=encoding)
    assert detect_encoding(path) == expected
    parsed, report = check(path)
    assert report.ok, report.problems
    assert report.total == Decimal("1002.50")
    assert next(line.supplier.name for line in lines(parsed, report)) == "Café Ltd"


def test_a_cp1252_byte_deep_in_a_long_file_is_found(tmp_path):
    rows = "".join(f"01/04/2020,Supplier {i},1.00\n" for i in range(200_000))
    data = ("Date,Supplier,Amount\n" + rows).encode() + "30/04/2020,Caf\xe9,£2.00\n".encode(
        "cp1252"
    )
    path = write(tmp_path, data)
    assert detect_encoding(path) == "cp1252"


def test_bare_carriage_returns_end_lines(tmp_path):
    text = "Date,Supplier,Amount\r01/04/2020,Acme,1.00\r30/04/2020,Beta,2.00\r"
    _, report = check(write(tmp_path, text))
    assert (report.rows, report.total) == (2, Decimal("3.00"))


def test_repeated_header_row_is_skipped(tmp_path):
    text = "Date,Supplier,Amount\n30/04/2020,Acme,1.00\nDate,Supplier,Amount\n01/04/2020,Beta,2\n"
    _, report = check(write(tmp_path, text))
    assert report.skipped == {"repeated header row": 1}
    assert report.total == Decimal("3.00")


def test_supplier_identifiers_come_through_to_the_line(tmp_path):
    text = (
        "Date,Supplier,Amount,VAT Number\n"
        "30/04/2020,KINGS COLLEGE LONDON:03529700,1.00,\n"
        "30/04/2020,UK0479435601 : Prime Care Solutions (Kingston) Ltd,1.00,GB999999973\n"
    )
    parsed, report = check(write(tmp_path, text))
    first, second = lines(parsed, report)
    assert (first.supplier.name, first.company_number) == ("KINGS COLLEGE LONDON", "03529700")
    assert second.supplier.ledger_id == "UK0479435601"
    assert second.vat_number == "GB999999973"


def test_empty_and_unknown_files(tmp_path):
    _, report = check(write(tmp_path, ""))
    assert [p.message for p in report.problems] == ["the file has no rows"]
    _, report = check(write(tmp_path, "Date,Supplier,Amount\n"))
    assert [p.message for p in report.problems] == ["the file has no payment lines"]
    _, report = check(write(tmp_path, "x", name="ledger.pdf"))
    assert "'.pdf' files are not ledgers" in report.problems[0].message
    _, report = check(write(tmp_path, b"not a workbook", name="ledger.xlsx"))
    assert "not a readable spreadsheet" in report.problems[0].message
    _, report = check(tmp_path / "missing.csv")
    assert report.problems[0].message == "no such file"


# Workbooks --------------------------------------------------------------------------

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def write_xlsx(path, cells):
    """A one-sheet workbook from {"B3": value}: numbers as number cells, text inline."""
    rows = {}
    for ref, value in cells.items():
        number = int("".join(c for c in ref if c.isdigit()))
        if isinstance(value, str):
            xml = f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        else:
            xml = f'<c r="{ref}"><v>{value!r}</v></c>'
        rows.setdefault(number, []).append(xml)
    sheet = "".join(f'<row r="{n}">{"".join(rows[n])}</row>' for n in sorted(rows))
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in _XLSX_PARTS.items():
            archive.writestr(name, xml)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet}</sheetData></worksheet>",
        )
    return path


def test_xlsx_rows_and_columns_are_numbered_as_the_spreadsheet_shows(tmp_path):
    # The table starts at B3 with a banner; empty column A and rows 1–2 must not shift the
    # row numbers and column letters a person is told about.
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        {
            "B3": "Spend over £25,000 — April 2020",
            "B5": "Payment Date",
            "C5": "Supplier",
            "D5": "Amount",
            "B6": 43951,  # 30 April 2020 as a spreadsheet serial
            "C6": "Acme Ltd",
            "D6": 0.1 + 0.2,  # stored as 0.30000000000000004
            "B7": "01/04/2020",
            "C7": "Beta Ltd",
            "D7": "£1,200.50",
            "B8": "31/04/2020",
            "C8": "Gamma Ltd",
            "D8": 5,
            "D10": 1200.8,
        },
    )
    [parsed] = parse(path)
    assert parsed.table.sheet == "Ledger"
    assert parsed.layout.header_row == 5
    report = validate(parsed)
    assert [str(p) for p in report.problems] == [
        "ledger.xlsx[Ledger]:8:B (Payment Date): '31/04/2020' is not a real date"
    ]


def test_xlsx_totals_skip_the_footer_and_drop_float_noise(tmp_path):
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        {
            "A1": "Date",
            "B1": "Supplier",
            "C1": "Amount",
            "A2": 43951,
            "B2": "Acme Ltd",
            "C2": 0.1 + 0.2,
            "A3": "15/04/2020",
            "B3": "Beta Ltd",
            "C3": 1200.5,
            "C5": 1200.8,
        },
    )
    [parsed] = parse(path)
    report = validate(parsed)
    assert report.ok, report.problems
    assert (report.rows, report.total) == (2, Decimal("1200.8"))
    assert report.skipped == {"blank": 1, "footer total": 1}
    assert [(line.source.row, line.date, line.amount) for line in lines(parsed, report)] == [
        (2, date(2020, 4, 30), Decimal("0.3")),
        (3, date(2020, 4, 15), Decimal("1200.5")),
    ]


def test_a_workbook_saved_with_a_csv_name_is_read_as_a_workbook(tmp_path):
    workbook = write_xlsx(
        tmp_path / "ledger.xlsx",
        {"A1": "Date", "B1": "Supplier", "C1": "Amount", "A2": 43951, "B2": "Acme", "C2": 12.5},
    )
    renamed = workbook.rename(tmp_path / "ledger.csv")
    [parsed] = parse(renamed)
    report = validate(parsed)
    assert (parsed.table.sheet, report.rows, report.total) == ("Ledger", 1, Decimal("12.5"))
