"""Readers for recruitment, staff survey and workforce profile files.

The inline files are written in the shapes these sources are published or submitted in:
recruitment counts as the WRES/WDES data collection asks for them (shortlisted and appointed
for White, BME and unknown; Disabled, non-disabled and not stated), one row per group; a
recruitment system's candidate extract with ESR-style ethnic origin codes; survey breakdowns as
the NHS Staff Survey reports them by group (percentage and base); and the shared merged
organisation results file, which is real.
"""

from decimal import Decimal as D

import openpyxl
import pytest

from socialvalue.domain.workforce import MEASURES, Characteristic, senior_representation
from socialvalue.domain.workforce_files import (
    likelihoods,
    read_recruitment,
    read_staff_survey,
    read_workforce,
    survey_comparisons,
)
from tests.conftest import SHARED_DATA

SURVEY_MERGED = (
    SHARED_DATA / "workforce" / "nhs_staff_survey_2021-2024_org_results_ebmgt_merged.csv"
)

COUNTS_CSV = """\
Characteristic,Group,Number of shortlisted applicants,Number appointed from shortlisting
Ethnicity,White,1000,250
Ethnicity,BME,800,120
Ethnicity,Unknown/null,100,20
Disability,Non-disabled,1000,191
Disability,Disabled,1000,59
Disability,Not stated,0,0
"""


def test_counts_by_group_give_both_ratios(tmp_path):
    (tmp_path / "r.csv").write_text(COUNTS_CSV)
    reading = read_recruitment(tmp_path / "r.csv")
    assert reading.ok, reading.problems
    assert reading.layout == "counts by group"
    results = {r.measure.code: r for _, r in likelihoods(reading.rows)}
    # WRES 2: (250/1000) / (120/800) = 1.67; declared 1800 of 1900.
    assert results["WRES 2"].ratio_2dp == D("1.67")
    assert results["WRES 2"].not_stated.shortlisted == 100
    # WDES 2: 0.191 / 0.059 = 3.24.
    assert results["WDES 2"].ratio_2dp == D("3.24")
    assert results["WDES 2"].declaration_rate == D(100)


def test_not_stated_without_a_characteristic_column_is_ambiguous(tmp_path):
    (tmp_path / "r.csv").write_text(
        "Group,Shortlisted,Appointed\nWhite,10,2\nBME,12,1\nNot stated,3,0\n"
    )
    reading = read_recruitment(tmp_path / "r.csv", name="r.csv")
    assert [str(p) for p in reading.problems] == [
        "r.csv:4: Group: 'Not stated' could be either ethnicity or disability: add a "
        "Characteristic column saying which"
    ]
    assert reading.rows == ()


def test_bad_count_rows_are_refused_with_row_and_column(tmp_path):
    (tmp_path / "r.csv").write_text(
        "Characteristic,Group,Shortlisted,Appointed\n"
        "Ethnicity,White,100,120\n"
        "Ethnicity,Martian,5,1\n"
        "Ethnicity,BME,ten,1\n"
        "Sex,Female,5,1\n"
        "Ethnicity,BME,40,0\n"
        "Ethnicity,bme,40,0\n"
        "Ethnicity,,3,0\n"
    )
    reading = read_recruitment(tmp_path / "r.csv", name="r.csv")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "r.csv:2: Appointed: 120 appointed is more than the 100 shortlisted",
        "r.csv:3: Group: 'Martian' is not a group this reader knows (for example White, BME, "
        "Disabled, Non-disabled, Not stated)",
        "r.csv:4: Shortlisted: 'ten' is not a whole number of people",
        "r.csv:5: Characteristic: 'Sex' is not a characteristic: use Ethnicity (WRES) or "
        "Disability (WDES)",
        "r.csv:7: Group: 'bme' is given twice (also row 6)",
        "r.csv:8: Group: the group is blank",
    ]


def _candidates(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Candidates"
    sheet.append(["Applicant ID", "Ethnic origin", "Disability", "Shortlisted", "Appointed"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_one_row_per_candidate_counts_into_groups(tmp_path):
    # Shortlisted: White 2 (1 appointed), BME 2 (1), not stated 1 (0); one not shortlisted.
    # WRES: (1/2) / (1/2) = 1.00, declared 4 of 5 = 80%.
    # Disability: non-disabled 3 (1 appointed), Disabled 1 (1), not declared 1.
    # WDES: (1/3) / (1/1) = 0.33.
    path = _candidates(
        tmp_path / "c.xlsx",
        [
            ["A1", "A White - British", "No", "Y", "Y"],
            ["A2", "C White - Any other White background", "No", "Y", "N"],
            ["A3", "H Asian or Asian British - Indian", "Yes", "Y", "Y"],
            ["A4", "M Black or Black British - Caribbean", "No", "Y", "N"],
            ["A5", "Z Not Stated", "Not Declared", "Y", "N"],
            ["A6", "A White - British", "No", "N", None],
        ],
    )
    reading = read_recruitment(path)
    assert reading.ok, reading.problems
    assert reading.layout == "one row per candidate"
    assert reading.notes == ("1 candidates not shortlisted: not counted",)
    results = {r.measure.code: r for _, r in likelihoods(reading.rows)}
    assert results["WRES 2"].ratio_2dp == D("1.00")
    assert results["WRES 2"].declaration_rate == D(80)
    assert results["WDES 2"].ratio_2dp == D("0.33")
    assert results["WDES 2"].unstable


def test_bad_candidate_rows_are_refused(tmp_path):
    path = _candidates(
        tmp_path / "c.xlsx",
        [
            ["A1", "White", "No", "N", "Y"],
            ["A2", "Martian", "No", "Y", "N"],
            ["A3", "White", "No", "Maybe", "N"],
        ],
    )
    reading = read_recruitment(path, name="c.xlsx")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "c.xlsx [Candidates]:2: Appointed: appointed but not shortlisted: WRES and WDES count "
        "appointments from shortlisting",
        "c.xlsx [Candidates]:3: Ethnic origin: 'Martian' is not an ethnic group this reader knows",
        "c.xlsx [Candidates]:4: Shortlisted: 'Maybe' is not yes or no",
    ]


SURVEY_CSV = """\
Year,Question,Characteristic,Group,Base,%
2023,Q14a Abuse from the public,Ethnicity,White,3500,25.1
2023,Q14a Abuse from the public,Ethnicity,Ethnic minority,900,30.4%
2023,Q14a Abuse from the public,Disability,Staff with a LTC or illness,1200,33.0
2023,Q14a Abuse from the public,Disability,Staff without a LTC or illness,3100,22.6
2023,Q14b Abuse from managers,Disability,Staff with a LTC or illness,8,12.5
2023,Q14b Abuse from managers,Disability,Staff without a LTC or illness,3100,9.0
"""


def test_survey_results_by_group_give_gaps_and_ratios(tmp_path):
    (tmp_path / "s.csv").write_text(SURVEY_CSV)
    reading = read_staff_survey(tmp_path / "s.csv")
    assert reading.ok, reading.problems
    found = {
        (c.question[:4], c.measure.characteristic.value): c
        for _, c in survey_comparisons(reading.rows)
    }
    # Ethnicity, q14a: 30.4 - 25.1 = 5.3 points; 30.4 / 25.1 = 1.2112 -> 1.21.
    q14a_ethnicity = found[("Q14a", "ethnicity")]
    assert q14a_ethnicity.gap_points == D("5.3")
    assert q14a_ethnicity.to_dict()["ratio"] == "1.21"
    # Disability, q14a: 33.0 - 22.6 = 10.4 points; 33.0 / 22.6 = 1.4602 -> 1.46.
    q14a_disability = found[("Q14a", "disability")]
    assert q14a_disability.gap_points == D("10.4")
    assert q14a_disability.to_dict()["ratio"] == "1.46"
    # q14b: only 8 disabled respondents -> suppressed.
    assert found[("Q14b", "disability")].gap_points is None
    assert "fewer than 11 respondents" in found[("Q14b", "disability")].reason


def test_bad_survey_rows_are_refused(tmp_path):
    (tmp_path / "s.csv").write_text(
        "Question,Group,Respondents,Percent\nq1,White,100,120\n,BME,many,20\nq1,White,100,20\n"
    )
    reading = read_staff_survey(tmp_path / "s.csv", name="s.csv")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "s.csv:2: Percent: '120' is not a percentage from 0 to 100",
        "s.csv:3: Question: the question is blank",
        "s.csv:3: Respondents: 'many' is not a whole number of respondents",
    ]


@pytest.mark.skipif(
    not SURVEY_MERGED.exists(), reason=f"the shared staff survey file is not at {SURVEY_MERGED}"
)
def test_the_real_merged_survey_results_read_for_one_trust():
    reading = read_staff_survey(SURVEY_MERGED, org="RXN")
    assert reading.ok, reading.problems
    assert reading.layout == "merged organisation results, all staff"
    assert reading.notes == ("1071 rows for other organisations left aside",)
    # Four years (2021-2024) × three harassment questions.
    assert len(reading.rows) == 12
    public_2023 = next(
        r for r in reading.rows if r.year == "2023" and "from patients" in r.question
    )
    assert (public_2023.respondents, public_2023.percent) == (4283, D("20.6230143015742"))
    # All staff only: nothing to compare.
    assert survey_comparisons(reading.rows) == []


WORKFORCE_CSV = """\
As at,Pay band,Characteristic,Group,Headcount
2022,Band 8a,Ethnicity,White,100
2022,Band 8c,Ethnicity,White,40
2022,Band 8c,Ethnicity,BME,4
2022,Band 8c,Ethnicity,Not stated,6
2022,Band 8d,Ethnicity,White,20
2022,Band 8d,Ethnicity,BME,2
2022,Band 9,Ethnicity,White,8
2022,VSM,Ethnicity,White,5
2022,VSM,Ethnicity,BME,1
2023,Band 8c,Ethnicity,White,38
2023,Band 8c,Ethnicity,BME,8
2023,Band 8c,Ethnicity,Not stated,4
2023,Band 8d,Ethnicity,White,20
2023,Band 8d,Ethnicity,BME,3
2023,Band 9,Ethnicity,White,7
2023,Band 9,Ethnicity,BME,1
2023,VSM,Ethnicity,White,5
2023,VSM,Ethnicity,BME,1
2023,Band 8c,Disability,Disabled,3
2023,Band 8c,Disability,Non-disabled,47
"""


def test_workforce_profile_gives_senior_representation(tmp_path):
    (tmp_path / "w.csv").write_text(WORKFORCE_CSV)
    reading = read_workforce(tmp_path / "w.csv")
    assert reading.ok, reading.problems
    ethnicity = [r.headcount for r in reading.rows if r.characteristic is Characteristic.ETHNICITY]
    result = senior_representation(
        MEASURES[Characteristic.ETHNICITY], ethnicity, year="2023", benchmark_year="2022"
    )
    # 13 of 87 (14.94%) against 7 of 86 (8.14%): +6.8 points (worked in test_workforce.py).
    assert (result.in_group, result.senior_staff) == (13, 87)
    assert result.to_dict()["change_points"] == "6.8"


def test_bad_workforce_rows_are_refused(tmp_path):
    (tmp_path / "w.csv").write_text(
        "Year,Band,Characteristic,Group,Headcount\n"
        ",Band 8c,Ethnicity,White,4\n"
        "2023,Band 8c,Ethnicity,White,-1\n"
        "2023,Band 8c,Ethnicity,White,3\n"
        "2023,Band 8c,Ethnicity,White,3\n"
    )
    reading = read_workforce(tmp_path / "w.csv", name="w.csv")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "w.csv:2: Year: the year is blank",
        "w.csv:3: Headcount: '-1' is not a whole number of staff",
        "w.csv:5: Group: White in Band 8c for 2023 is given twice (also row 4)",
    ]


def test_a_recruitment_file_with_neither_layout_names_both(tmp_path):
    (tmp_path / "x.csv").write_text("Name,Score\nA,3\n")
    reading = read_recruitment(tmp_path / "x.csv", name="x.csv")
    assert [str(p) for p in reading.problems] == [
        "x.csv: no header row naming either Group, Shortlisted and Appointed (counts by group) "
        "or Shortlisted, Appointed and Ethnicity or Disability (one row per candidate)"
    ]


@pytest.mark.skipif(
    not SURVEY_MERGED.exists(), reason=f"the shared staff survey file is not at {SURVEY_MERGED}"
)
def test_the_merged_survey_results_say_when_the_organisation_is_not_there():
    reading = read_staff_survey(SURVEY_MERGED, org="ZZZ")
    assert reading.ok and reading.rows == ()
    assert reading.notes[-1] == "no rows for the organisation ZZZ"


def test_a_file_with_very_many_problems_lists_200_and_counts_the_rest(tmp_path):
    lines = ["Characteristic,Group,Shortlisted,Appointed"]
    lines += [f"Ethnicity,Group {n},1,0" for n in range(205)]
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n")
    reading = read_recruitment(tmp_path / "r.csv")
    assert (len(reading.problems), reading.problems_left_out) == (200, 5)
    assert reading.rows == ()
