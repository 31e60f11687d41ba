"""Outpatients by consultation medium: the virtual share from summed counts, and the reader."""

from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from socialvalue.domain.outpatient_files import read_outpatients
from socialvalue.domain.outpatients import MediumCount, medium_code, virtual_share

APRIL, MAY = date(2023, 4, 1), date(2023, 5, 1)


def test_virtual_share_is_from_summed_counts_not_an_average_of_months():
    # April: 01 800, 02 150, 03 50 -> 200 virtual of 1,000 (20%).
    # May: 01 700, 02 200, 03 100, 98 10 -> 300 virtual of 1,010 (29.70%).
    # Summed: 500 of 2,010 = 24.876% (the average of the months, 24.85%, would be wrong).
    counts = [
        MediumCount(APRIL, "01", 800),
        MediumCount(APRIL, "02", 150),
        MediumCount(APRIL, "03", 50),
        MediumCount(MAY, "01", 700),
        MediumCount(MAY, "02", 200),
        MediumCount(MAY, "03", 100),
        MediumCount(MAY, "98", 10),
    ]
    result = virtual_share(counts)
    assert (result.virtual, result.total) == (500, 2010)
    assert result.share.quantize(D("0.001")) == D("24.876")
    assert result.by_month == {APRIL: (200, 1000), MAY: (300, 1010)}
    data = result.to_dict()
    assert data["virtual_share_percent"] == "24.9"
    assert data["appointments_by_medium"]["02 Telephone"] == 350
    assert "500 ÷ all appointments 2010, summed over 2 months (April 2023 to May 2023)" in (
        result.method
    )
    assert "10 with medium 98 (other) count in the whole, not as virtual." in result.method


def test_no_appointments_no_share():
    result = virtual_share([])
    assert result.share is None
    assert result.reason == "no share: no appointments counted"


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("01", "01"),
        (1, "01"),
        ("2", "02"),
        ("02 Telephone", "02"),
        ("Telephone", "02"),
        ("Face to face communication", "01"),
        ("Telemedicine web camera", "03"),
        ("Video", "03"),
        ("98", "98"),
        ("09", None),
        ("Carrier pigeon", None),
        ("", None),
    ],
)
def test_medium_codes(cell, code):
    assert medium_code(cell) == code


# Aggregated form: an extract of the outpatient commissioning data set summarised by month and
# CONSULTATION MEDIUM USED, as trusts' information teams produce it (code and description).
COUNTS_CSV = """\
Activity month,Consultation medium used,Attendances
2023-04,01 Face to face communication,800
2023-04,02 Telephone,150
2023-04,03 Telemedicine,50
May-23,01,700
May-23,02,200
May-23,03,100
"""


def test_counts_by_month_and_medium(tmp_path):
    (tmp_path / "op.csv").write_text(COUNTS_CSV)
    reading = read_outpatients(tmp_path / "op.csv")
    assert reading.ok, reading.problems
    assert reading.layout == "counts by month and medium"
    share = virtual_share(reading.rows)
    # 500 virtual of 2,000 = 25%.
    assert (share.virtual, share.total, share.share) == (500, 2000, D(25))
    # Each count cites its own row (the header is row 1).
    assert [c.rows for c in reading.rows] == [((n, n),) for n in range(2, 8)]


def test_bad_count_rows_are_refused_with_row_and_column(tmp_path):
    (tmp_path / "op.csv").write_text(
        "Month,Consultation medium,Appointments\n"
        "2023-04,01,800\n"
        "2023-13,02,5\n"
        "2023-04,Pigeon,5\n"
        "2023-04,01,2.5\n"
        "2023-04,01,7\n"
    )
    reading = read_outpatients(tmp_path / "op.csv", name="op.csv")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "op.csv:3: Month: '2023-13' is not a month (2024-04, Apr-24 or April 2024)",
        "op.csv:4: Consultation medium: 'Pigeon' is not a consultation medium: use the national "
        "code (01 face to face, 02 telephone, 03 telemedicine, ...) or its name",
        "op.csv:5: Appointments: '2.5' is not a whole number of appointments",
        "op.csv:6: Consultation medium: April 2023 medium 01 is given twice (also row 2)",
    ]


def test_row_per_appointment_xlsx_counts_attended_appointments_into_months(tmp_path):
    # One row per appointment with ATTENDED OR DID NOT ATTEND (5 and 6 seen; 2, 3, 4, 7 not):
    # April: 01 seen, 02 seen, 02 did not attend (3) -> 2 counted, 1 virtual.
    # May: 03 seen late (6) -> 1 counted, virtual. Share 2 of 3.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Appointments"
    sheet.append(["Outpatient appointments, April to May 2023"])  # a banner row
    sheet.append(["Appointment date", "Consultation medium used", "Attended or did not attend"])
    sheet.append([date(2023, 4, 3), "01", 5])
    sheet.append([date(2023, 4, 4), "02", "5"])
    sheet.append([date(2023, 4, 30), "02", 3])
    sheet.append(["01/05/2023", "03", 6])
    book.save(tmp_path / "appts.xlsx")
    reading = read_outpatients(tmp_path / "appts.xlsx")
    assert reading.ok, reading.problems
    assert reading.layout == "one row per appointment"
    assert reading.notes == ("1 appointments not attended: not counted",)
    assert sorted(reading.rows, key=lambda c: (c.month, c.medium)) == [
        MediumCount(APRIL, "01", 1),
        MediumCount(APRIL, "02", 1),
        MediumCount(MAY, "03", 1),
    ]
    share = virtual_share(reading.rows)
    assert (share.virtual, share.total) == (2, 3)
    # Each count cites the rows it counted (the header is row 2): the row not attended
    # (row 5) is not cited.
    assert {(c.month, c.medium): c.rows for c in reading.rows} == {
        (APRIL, "01"): ((3, 3),),
        (APRIL, "02"): ((4, 4),),
        (MAY, "03"): ((6, 6),),
    }


def test_a_file_without_either_header_is_refused(tmp_path):
    (tmp_path / "x.csv").write_text("Clinic,Patients\nA,3\n")
    reading = read_outpatients(tmp_path / "x.csv", name="x.csv")
    assert [str(p) for p in reading.problems] == [
        "x.csv: no header row naming either Month, Consultation medium and Appointments, or "
        "Appointment date and Consultation medium"
    ]


def test_an_extract_s_rows_are_cited_as_runs_not_one_by_one(tmp_path):
    # 3,000 appointments: rows 2 to 1,001 face to face in April, 1,002 to 2,001 by telephone
    # in April but for row 1,500 (not attended), 2,002 to 3,001 face to face again in April.
    lines = ["Appointment date,Consultation medium,Attended or did not attend"]
    for n in range(2, 3002):
        medium = "02" if 1002 <= n <= 2001 else "01"
        lines.append(f"2023-04-03,{medium},{3 if n == 1500 else 5}")
    (tmp_path / "appts.csv").write_text("\n".join(lines) + "\n")
    reading = read_outpatients(tmp_path / "appts.csv")
    assert reading.ok, reading.problems
    by_medium = {c.medium: c for c in reading.rows}
    assert by_medium["01"].appointments == 2000
    assert by_medium["01"].rows == ((2, 1001), (2002, 3001))
    assert by_medium["02"].appointments == 999
    assert by_medium["02"].rows == ((1002, 1499), (1501, 2001))
