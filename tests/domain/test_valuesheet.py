"""The values sheet's pure half: reading CSV and XLSX, checking rows, writing safely."""

import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from socialvalue.domain.earlier import Basis, EarlierYear
from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.status import MilestoneState, Observation, Status
from socialvalue.domain.valuesheet import (
    COLUMNS,
    IndicatorSpec,
    Shape,
    SheetContext,
    SheetError,
    neutralise,
    parse,
    sheet_rows,
    to_csv,
    to_xlsx,
    validate,
)

HEADER = ",".join(COLUMNS)
FY = FinancialYear(2023)


def spec(code, shape, frequency=Frequency.QUARTERLY, parts=(), recordable=("RXN",)):
    return IndicatorSpec(
        code=code,
        shape=shape,
        frequency=frequency,
        kind_label=shape.value.capitalize(),
        periods=frozenset(p.key for p in FY.periods(frequency)),
        organisations=("RXN",),
        recordable=frozenset(recordable),
        parts=parts,
    )


CONTEXT = SheetContext(
    charter="RXN-SV",
    years=("2023/24",),
    indicators={
        "COUNT": spec("COUNT", Shape.VALUE),
        "SHARE": spec("SHARE", Shape.SHARE, Frequency.MONTHLY),
        "PARTS": spec("PARTS", Shape.PARTS, parts=("a", "b")),
        "RATIO": spec("RATIO", Shape.DISPARITY, Frequency.ANNUAL, parts=("eth",)),
        "MILE": spec("MILE", Shape.MILESTONE, Frequency.ANNUAL),
        "TALK": spec("TALK", Shape.SELF_ASSESSMENT),
        "THEIRS": spec("THEIRS", Shape.VALUE, recordable=()),
    },
    today=date(2024, 2, 15),
    actor="owner@rxn.test",
)


def csv_sheet(*lines: str, name="sheet.csv", encoding="utf-8") -> bytes:
    return "\r\n".join([HEADER, *lines]).encode(encoding)


def row(indicator, period, **cells) -> str:
    values = {"charter": "RXN-SV", "indicator": indicator, "organisation": "RXN"}
    values["period"] = period
    values.update(cells)
    return ",".join(str(values.get(c, "")) for c in COLUMNS)


def check(*lines):
    return validate(parse("sheet.csv", csv_sheet(*lines)), CONTEXT)


def messages(checked):
    return [str(p) for p in checked.problems]


def test_each_shape_reads_into_one_entry_per_period():
    checked = check(
        row("COUNT", "2023/24-Q1", value="12.50"),
        row("SHARE", "2023-04", numerator=3, denominator=4),
        row("PARTS", "2023/24-Q2", part="a", value=2),
        row("PARTS", "2023/24-Q2", part="b", value=0),
        row(
            "RATIO",
            "2023/24",
            part="eth",
            events_a=10,
            population_a=40,
            events_b=5,
            population_b=25,
        ),
        row("MILE", "2023/24", milestone_state="Done", achieved_on="31/01/2024"),
        row("TALK", "2023/24-Q3", self_status="On track", narrative="Going well", note="n"),
    )
    assert checked.problems == ()
    by_code = {e.indicator: e for e in checked.entries}
    assert by_code["COUNT"].value == Decimal("12.5")
    assert by_code["COUNT"].period == Period.from_key("2023/24-Q1")
    assert (by_code["SHARE"].numerator, by_code["SHARE"].denominator) == (3, 4)
    assert by_code["PARTS"].parts == {"a": 2, "b": 0}
    assert by_code["PARTS"].rows == (4, 5)
    assert by_code["RATIO"].parts == {
        "eth": {"events_a": 10, "population_a": 40, "events_b": 5, "population_b": 25}
    }
    assert by_code["MILE"].milestone_state is MilestoneState.DONE
    assert by_code["MILE"].achieved_on == date(2024, 1, 31)
    assert by_code["TALK"].self_status is Status.ON_TRACK
    assert (by_code["TALK"].narrative, by_code["TALK"].note) == ("Going well", "n")


def test_rows_without_a_reading_are_left_alone():
    checked = check(row("COUNT", "2023/24-Q1"), row("PARTS", "2023/24-Q1", part="a"))
    assert (checked.entries, checked.problems, checked.blank_rows) == ((), (), 2)


def test_every_problem_has_its_row_and_column_letter():
    checked = check(
        row("COUNT", "2023/24-Q1", value="twelve"),  # row 2
        row("NOPE", "2023/24-Q1", value=1),  # row 3
        row("COUNT", "2023-04", value=1),  # row 4: monthly key for a quarterly indicator
        row("SHARE", "2023-05", numerator=5, denominator=4),  # row 5
        row("COUNT", "2024/25-Q1", value=1),  # row 6: not a reporting year
        row("COUNT", "2023/24-Q4", value=1),  # row 7: begins 1 January 2024, fine
        row("SHARE", "2024-03", numerator=1, denominator=2),  # row 8: not begun on 15 February
        row("THEIRS", "2023/24-Q1", value=1),  # row 9
        row("COUNT", "2023/24-Q2", value=1, numerator=2),  # row 10
        row("MILE", "2023/24", milestone_state="done"),  # row 11
        row("PARTS", "2023/24-Q1", part="a", value=-1),  # row 12
        row("COUNT", "2023/24-Q3", value="1.23456"),  # row 13
    )
    assert messages(checked) == [
        "Row 2, column E (value): Enter a number, like 12 or 12.5, not twelve",
        "Row 3, column B (indicator): RXN-SV has no indicator NOPE",
        "Row 4, column D (period): COUNT is reported quarterly: write the period like "
        "2023/24-Q1, not 2023-04",
        "Row 5, column F (numerator): numerator must not be more than the denominator",
        "Row 6, column D (period): 2024/25-Q1 is not in RXN-SV's reporting years (2023/24)",
        "Row 8, column D (period): March 2024 has not begun yet",
        "Row 9, column C (organisation): owner@rxn.test cannot record values for THEIRS at RXN",
        "Row 10, column F (numerator): numerator does not apply to COUNT (value): fill in value",
        "Row 11, column N (achieved_on): Enter the date it was done",
        "Row 12, column E (value): value must be 0 or more",
        "Row 13, column E (value): 1.23456 has more than 4 decimal places",
    ]
    assert [e.rows for e in checked.entries] == [(7,)]


def test_a_part_based_reading_needs_every_part_once():
    checked = check(
        row("PARTS", "2023/24-Q1", part="a", value=1),
        row("PARTS", "2023/24-Q2", part="a", value=1),
        row("PARTS", "2023/24-Q2", part="a", value=2),
        row("PARTS", "2023/24-Q2", part="b", value=2),
        row("PARTS", "2023/24-Q3", part="z", value=2),
    )
    assert messages(checked) == [
        "Row 2, column H (part): Fill in every part of PARTS for RXN and 2023/24-Q1: b is missing",
        "Row 4, column H (part): Part a of PARTS for RXN and 2023/24-Q2 is already given above",
        "Row 6, column H (part): PARTS has no part z: use a or b",
    ]


def test_the_same_period_twice_is_refused():
    checked = check(row("COUNT", "2023/24-Q1", value=1), row("COUNT", "2023/24-Q1", value=2))
    assert messages(checked) == [
        "Row 3, column D (period): COUNT for RXN and 2023/24-Q1 is already on row 2"
    ]


def test_the_header_must_name_known_columns():
    with pytest.raises(SheetError) as error:
        parse("s.csv", b"charter,indicator,period,valu,value,value\r\n")
    assert [str(p) for p in error.value.problems] == [
        "Row 1, column D (valu): valu is not a column of a values sheet",
        "Row 1, column F (value): value appears more than once",
        "Row 1: The header row lacks organisation",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("s.pdf", b"%PDF-1.4", "s.pdf: upload an XLSX or CSV file"),
        ("s.xlsx", b"charter,indicator\r\n", "s.xlsx is not an XLSX workbook"),
        ("s.csv", b"PK\x03\x04rest", "s.csv is not a CSV text file"),
        ("s.csv", b"", "s.csv is empty: it needs a header row"),
        ("s.xlsx", b"PK\x03\x04 not really a zip", "s.xlsx cannot be read as XLSX"),
        ("s.csv", b"x" * (2 * 1024 * 1024 + 1), "s.csv is larger than 2 MB"),
    ],
)
def test_files_that_are_not_sheets_are_refused(name, content, message):
    with pytest.raises(SheetError) as error:
        parse(name, content)
    assert str(error.value.problems[0]).startswith(message)


def test_csv_with_a_byte_order_mark_or_in_windows_1252():
    note = "£5 café"
    with_bom = b"\xef\xbb\xbf" + csv_sheet(row("COUNT", "2023/24-Q1", value=1, note=note))
    cp1252 = csv_sheet(row("COUNT", "2023/24-Q1", value=1, note=note), encoding="cp1252")
    assert cp1252 != with_bom[3:]  # the pound sign and é are single bytes in cp1252
    for content in (with_bom, cp1252):
        checked = validate(parse("s.csv", content), CONTEXT)
        assert checked.problems == ()
        assert checked.entries[0].note == note


def test_xlsx_cells_of_any_type_read_as_the_text_typed():
    book = Workbook()
    sheet = book.active
    sheet.title = "Values"
    sheet.append(list(COLUMNS))
    cells = dict.fromkeys(COLUMNS, None)
    cells.update(charter="RXN-SV", indicator="SHARE", organisation="rxn")
    cells.update(period=date(2023, 4, 1), numerator=2, denominator=3.5)  # Excel's date for 2023-04
    sheet.append([cells[c] for c in COLUMNS])
    cells.update(indicator="MILE", period="2023/24", numerator=None, denominator=None)
    cells.update(milestone_state="in progress", achieved_on=None)
    sheet.append([cells[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    parsed = parse("s.xlsx", out.getvalue())
    assert parsed.worksheet == "Values"
    checked = validate(parsed, CONTEXT)
    assert checked.problems == ()
    share, mile = checked.entries
    assert (share.period.key, share.numerator, share.denominator) == ("2023-04", 2, Decimal("3.5"))
    assert share.organisation == "RXN"
    assert mile.milestone_state is MilestoneState.IN_PROGRESS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1772", "'+44 1772"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = fine", "plain = fine"),
        ("", ""),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_formulas_are_neutralised_in_csv_and_xlsx_and_read_back_as_typed():
    dangerous = '=HYPERLINK("http://evil.example","x")'
    rows = [
        {"charter": "RXN-SV", "indicator": "COUNT", "organisation": "RXN", "period": "2023/24-Q1",
         "value": Decimal("-5"), "note": dangerous},
        {"charter": "RXN-SV", "indicator": "TALK", "organisation": "RXN", "period": "2023/24-Q1",
         "self_status": "on_track", "narrative": "@cmd", "note": "+1"},
    ]  # fmt: skip
    text = to_csv(COLUMNS, rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'@cmd,'+1" in text
    assert ",-5," in text  # a number is not a formula
    book = load_workbook(io.BytesIO(to_xlsx([("Values", COLUMNS, rows)])))
    values = book["Values"]
    assert values["Q2"].value == "'" + dangerous and values["Q2"].data_type == "s"
    assert values["P3"].value == "'@cmd"
    assert values["E2"].value == -5 and values["E2"].data_type == "n"
    for name, content in (
        ("s.csv", to_csv(COLUMNS, rows)),
        ("s.xlsx", to_xlsx([("Values", COLUMNS, rows)])),
    ):
        checked = validate(parse(name, content), CONTEXT)
        assert checked.problems == ()
        count, talk = checked.entries
        assert (count.value, count.note) == (Decimal(-5), dangerous)
        assert (talk.narrative, talk.note) == ("@cmd", "+1")


def test_sheet_rows_write_back_what_was_recorded():
    period = Period.from_key("2023/24-Q1")
    recorded = Observation(period=period, parts={"a": Decimal("2.5000"), "b": Decimal(0)})
    rows = sheet_rows(
        charter="RXN-SV",
        indicator=CONTEXT.indicators["PARTS"],
        organisation="RXN",
        period=period,
        recorded=recorded,
        note="from HR",
    )
    assert [(r["part"], r["value"], r["note"]) for r in rows] == [
        ("a", Decimal("2.5000"), "from HR"),
        ("b", Decimal(0), "from HR"),
    ]
    blank = sheet_rows(
        charter="RXN-SV", indicator=CONTEXT.indicators["COUNT"], organisation="RXN", period=period
    )
    assert blank == [
        {"charter": "RXN-SV", "indicator": "COUNT", "organisation": "RXN", "period": "2023/24-Q1"}
    ]
    assert "2.5" in to_csv(COLUMNS, rows).decode("utf-8-sig").splitlines()[1]


def test_semicolon_csv_and_a_lower_case_quarter_are_read():
    content = (HEADER.replace(",", ";") + "\r\nRXN-SV;COUNT;RXN;2023/24-q2;7\r\n").encode()
    checked = validate(parse("s.csv", content), CONTEXT)
    assert checked.problems == ()
    assert (checked.entries[0].period.key, checked.entries[0].value) == ("2023/24-Q2", 7)


def test_an_xlsx_that_unpacks_to_a_huge_file_is_refused_before_reading():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024 + 1))
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(SheetError) as error:
        parse("bomb.xlsx", out.getvalue())
    assert str(error.value) == "bomb.xlsx unpacks to more than 50 MB"


def test_every_column_is_documented():
    text = (Path(__file__).resolve().parents[2] / "docs" / "values-sheets.md").read_text()
    documented = set(re.findall(r"`([a-z_]+)`", text))
    assert set(COLUMNS) <= documented


# --- Years before the charter's first (ADR 020) -------------------------------------------

PREVIOUS = EarlierYear(FinancialYear(2022), Basis.PREVIOUS)
EARLIER = replace(
    CONTEXT,
    first_year=FY,
    indicators={
        **CONTEXT.indicators,
        "GROWTH": replace(spec("GROWTH", Shape.VALUE), earlier=(PREVIOUS,)),
        "BENCH": replace(
            spec("BENCH", Shape.SHARE, Frequency.ANNUAL),
            earlier=(EarlierYear(FinancialYear(2022), Basis.BENCHMARK),),
        ),
    },
)


def test_a_year_the_target_is_built_on_is_one_figure_with_its_source():
    checked = validate(
        parse(
            "sheet.csv",
            csv_sheet(
                row("GROWTH", "2022/23", value=120, source="Annual report 2022/23 p. 14"),
                row("BENCH", "2022/23", numerator=45, denominator=600, source="WRES  2022"),
                row("GROWTH", "2023/24-Q1", value=30),
            ),
        ),
        EARLIER,
    )
    assert checked.problems == ()
    by_key = {(e.indicator, e.period.key): e for e in checked.entries}
    growth = by_key[("GROWTH", "2022/23")]
    assert (growth.value, growth.citation) == (Decimal(120), "Annual report 2022/23 p. 14")
    # The source's spaces are tidied, as it is stored.
    assert by_key[("BENCH", "2022/23")].citation == "WRES 2022"
    assert by_key[("GROWTH", "2023/24-Q1")].citation == ""


def test_earlier_rows_are_refused_with_where_and_why():
    checked = validate(
        parse(
            "sheet.csv",
            csv_sheet(
                row("GROWTH", "2022/23", value=120),  # row 2: no source
                row("GROWTH", "2022/23-Q4", value=30, source="x"),  # row 3: not the whole year
                row("GROWTH", "2021/22", value=110, source="x"),  # row 4: not built on it
                row("COUNT", "2022/23", value=1, source="x"),  # row 5: built on no earlier year
                row("GROWTH", "2023/24-Q2", value=1, source="y" * 1001),  # row 6
                row("GROWTH", "2023/24-Q3", source="only a source"),  # row 7
            ),
        ),
        EARLIER,
    )
    assert messages(checked) == [
        "Row 2, column R (source): Enter where the 2022/23 figure was published: the "
        "document, page or link it comes from",
        "Row 3, column D (period): A figure for 2022/23, before the charter's first reporting "
        "year, is one figure for the whole year: record it for 2022/23, not Q4 2022/23",
        "Row 4, column D (period): 2021/22 is before the charter's first reporting year, "
        "2023/24; GROWTH's target is built on 2022/23, the previous year only",
        "Row 5, column D (period): 2022/23 is before the charter's first reporting year, "
        "2023/24, and COUNT's target is built on no earlier year",
        "Row 6, column R (source): source must be 1,000 characters or fewer",
        "Row 7, column E (value): Enter the value",
    ]
    assert checked.entries == ()


def test_sheet_rows_write_the_source_back():
    [written] = sheet_rows(
        charter="RXN-SV",
        indicator=EARLIER.indicators["GROWTH"],
        organisation="RXN",
        period=PREVIOUS.period,
        recorded=Observation(period=PREVIOUS.period, value=Decimal(120)),
        citation="Annual report 2022/23, p. 14",
    )
    assert (written["period"], written["value"], written["source"]) == (
        "2022/23",
        Decimal(120),
        "Annual report 2022/23, p. 14",
    )
