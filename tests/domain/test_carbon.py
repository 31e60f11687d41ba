"""Carbon: the DESNZ flat file reader, factor lookup, avoided travel and paper, against hand
calculations. The real 2024 flat file is read from the shared data set when it is there."""

from decimal import Decimal as D

import openpyxl
import pytest

from socialvalue.domain.carbon import (
    AVERAGE_CAR_KM,
    PAPER_PRIMARY,
    PAPER_RECYCLED,
    Factor,
    FactorSet,
    PaperBought,
    Ream,
    TravelAssumptions,
    avoided_travel,
    paper_use,
)
from socialvalue.domain.carbon_files import read_factors, read_paper
from tests.conftest import SHARED_DATA

DESNZ_2024 = SHARED_DATA / "carbon" / "desnz_ghg_conversion_factors_2024_flat_format_v1_1.xlsx"
needs_desnz = pytest.mark.skipif(
    not DESNZ_2024.exists(),
    reason=f"the DESNZ 2024 flat file is not at {DESNZ_2024} (set SOCIALVALUE_SHARED_DATA)",
)


@pytest.fixture(scope="module")
def desnz_2024():
    if not DESNZ_2024.exists():
        pytest.skip(f"the DESNZ 2024 flat file is not at {DESNZ_2024}")
    result = read_factors(DESNZ_2024)
    assert result.reading.ok, result.reading.problems
    return result.factor_set


def _factor(fid, level1, level2, level3, column_text, uom, value, row=7):
    return Factor(
        id=fid,
        scope="Scope 3",
        level1=level1,
        level2=level2,
        level3=level3,
        level4="",
        column_text=column_text,
        uom=uom,
        ghg_unit="kg CO2e",
        value=D(value) if value is not None else None,
        row=row,
    )


SMALL_SET = FactorSet(
    year=2024,
    version="1.1",
    source="inline",
    factors=(
        _factor(
            "car",
            "Business travel- land",
            "Cars (by size)",
            "Average car",
            "Unknown",
            "km",
            "0.16691",
        ),
        _factor(
            "bus",
            "Business travel- land",
            "Bus",
            "Average local bus",
            "",
            "passenger.km",
            "0.10846",
        ),
        _factor(
            "rail", "Business travel- land", "Rail", "National rail", "", "passenger.km", "0.03546"
        ),
        _factor(
            "paper",
            "Material use",
            "Paper",
            "Paper and board: paper",
            "Primary material production",
            "tonnes",
            "1339.31834",
        ),
        _factor(
            "recycled",
            "Material use",
            "Paper",
            "Paper and board: paper",
            "Closed-loop source",
            "tonnes",
            None,
        ),
    ),
)


@needs_desnz
def test_the_2024_file_reads_with_its_year_version_and_the_unofficial_sheets_left_out(desnz_2024):
    assert (desnz_2024.year, desnz_2024.version) == (2024, "1.1")
    assert desnz_2024.label == "DESNZ GHG conversion factors 2024 (version 1.1)"
    # Rows 7 to 8746 of 'Factors by Category' hold factors; row 8748 says END.
    assert len(desnz_2024.factors) == 8740
    result = read_factors(DESNZ_2024)
    assert "sheet 'Sheet1' not read: not part of the official flat file" in result.reading.notes
    assert "sheet 'Sheet2' not read: not part of the official flat file" in result.reading.notes


@needs_desnz
def test_the_average_car_factor_is_0_16691_kg_per_km_from_row_5353(desnz_2024):
    car = desnz_2024.lookup(AVERAGE_CAR_KM)
    assert car.value == D("0.16691")
    assert (car.id, car.row, car.scope) == ("25_301_3074_4_1", 5353, "Scope 3")
    assert car.path() == "Business travel- land › Cars (by size) › Average car › Unknown"
    # The same value appears under Scope 1 passenger vehicles and managed cars too.
    same = [f.id for f in desnz_2024.factors if f.value == D("0.16691")]
    assert same == ["4_301_3074_4_1", "25_301_3074_4_1", "31_308_3074_4_1"]


@needs_desnz
def test_paper_factors_from_the_2024_file(desnz_2024):
    assert desnz_2024.lookup(PAPER_PRIMARY).value == D("1339.31834")
    assert desnz_2024.lookup(PAPER_RECYCLED).value == D("1044.31834")


@needs_desnz
def test_avoided_travel_with_the_2024_factors_matches_the_hand_calculation(desnz_2024):
    # 1,000 virtual appointments, 48 km round trip (24 km each way), 88% car, 3% bus, 8% rail:
    # weighted = 0.88 × 0.16691 + 0.03 × 0.10846 + 0.08 × 0.03546
    #          = 0.1468808 + 0.0032538 + 0.0028368 = 0.1529714 kg CO2e per km
    # 1,000 × 48 × 0.1529714 = 7,342.6272 kg CO2e.
    result = avoided_travel(
        appointments=1000,
        assumptions=TravelAssumptions(
            round_trip_km=D(48),
            mode_shares={"car": D("0.88"), "bus": D("0.03"), "rail": D("0.08")},
            source="a published audit",
        ),
        factor_set=desnz_2024,
    )
    assert result.weighted_factor == D("0.1529714")
    assert result.kg_co2e == D("7342.6272")
    data = result.to_dict()
    assert data["kg_co2e"] == "7342.63"
    assert data["tonnes_co2e"] == "7.343"
    assert data["factor_set"] == {"year": 2024, "version": "1.1"}
    assert data["factors"]["car"]["id"] == "25_301_3074_4_1"
    assert data["assumptions"]["round_trip_km"] == "48"
    assert "the other 1% of journeys are taken to have no emissions" in result.method
    assert "assumptions from a published audit" in result.method


def test_avoided_travel_refuses_assumptions_that_do_not_make_sense():
    with pytest.raises(ValueError, match="add up to more than 1"):
        avoided_travel(
            appointments=1,
            assumptions=TravelAssumptions(D(10), {"car": D("0.9"), "bus": D("0.2")}),
            factor_set=SMALL_SET,
        )
    with pytest.raises(ValueError, match="unknown travel mode 'plane'"):
        avoided_travel(
            appointments=1,
            assumptions=TravelAssumptions(D(10), {"plane": D("0.5")}),
            factor_set=SMALL_SET,
        )
    with pytest.raises(ValueError, match="more than 0 km"):
        avoided_travel(
            appointments=1,
            assumptions=TravelAssumptions(D(0), {"car": D(1)}),
            factor_set=SMALL_SET,
        )


def test_no_virtual_appointments_avoid_nothing():
    result = avoided_travel(
        appointments=0,
        assumptions=TravelAssumptions(D(48), {"car": D(1)}),
        factor_set=SMALL_SET,
    )
    assert result.kg_co2e == 0


def test_a_blank_factor_is_refused_by_name():
    with pytest.raises(LookupError, match=r"leaves .* blank \(ID recycled\)"):
        SMALL_SET.lookup(PAPER_RECYCLED)


def test_paper_in_reams_against_a_baseline_and_its_carbon():
    # A ream: 500 sheets × 0.210 m × 0.297 m × 80 g/m² = 500 × 0.06237 × 80 g = 2,494.8 g.
    # 2,000 reams = 4,989.6 kg = 4.9896 t; × 1,339.31834 = 6,682.662789264 kg CO2e
    # (1,339.31834 × 5 − 1,339.31834 × 0.0104 = 6,696.5917 − 13.928910736).
    # Baseline 2,100 reams: (2,000 − 2,100) ÷ 2,100 = −4.76%.
    result = paper_use(
        [PaperBought(D(1500), "reams"), PaperBought(D(500), "reams")],
        factor_set=SMALL_SET,
        baseline_reams=D(2100),
    )
    assert Ream().kg == D("2.4948")
    assert result.tonnes == D("4.9896")
    assert result.kg_co2e == D("6682.662789264")
    assert result.change_percent.quantize(D("0.01")) == D("-4.76")
    assert "ID paper" in result.method
    assert result.to_dict()["kg_co2e"] == "6682.66"


def test_paper_bought_by_weight_counts_in_reams_too():
    # 1 tonne ÷ 0.0024948 t per ream = 400.83 reams; baseline 400 reams -> +0.21%.
    result = paper_use([PaperBought(D(1), "tonnes")], factor_set=None, baseline_reams=D(400))
    assert result.reams.quantize(D("0.01")) == D("400.83")
    assert result.kg_co2e is None
    assert result.reason == "no carbon figure: no factor set given"
    assert result.change_percent.quantize(D("0.01")) == D("0.21")


def test_paper_with_a_zero_baseline_has_no_change():
    result = paper_use([PaperBought(D(10), "reams")], factor_set=SMALL_SET, baseline_reams=D(0))
    assert result.change_percent is None
    assert result.reason == "no change: the baseline is 0 reams"


def _flat_file(path, rows, *, version=1.1, year=2024, extra_sheet=True):
    """The flat file's real shape, shrunk: a front page with version and year, then
    'Factors by Category' with banner rows above the header (as DESNZ publishes it)."""
    book = openpyxl.Workbook()
    front = book.active
    front.title = "Front page"
    front.append(["UK Government GHG Conversion Factors for Company Reporting"])
    front.append(["Version:", version, "Year:", year])
    sheet = book.create_sheet("Factors by Category")
    sheet.append(["UK Government GHG Conversion Factors for Company Reporting"])
    sheet.append(["Factors by Category"])
    sheet.append([])
    sheet.append([None, None, "Category"])
    sheet.append(
        [
            "ID",
            "Scope",
            "Level 1",
            "Level 2",
            "Level 3",
            "Level 4",
            "Column Text",
            "UOM",
            "GHG/Unit",
            f"GHG Conversion Factor {year}",
        ]
    )
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([None, "END"])
    if extra_sheet:
        book.create_sheet("Sheet1").append(["not official", 1])
    book.save(path)
    return path


CAR_ROW = [
    "25_301_3074_4_1",
    "Scope 3",
    "Business travel- land",
    "Cars (by size)",
    "Average car",
    None,
    "Unknown",
    "km",
    "kg CO2e",
    0.16691,
]


def test_a_small_flat_file_reads(tmp_path):
    path = _flat_file(tmp_path / "f.xlsx", [CAR_ROW])
    result = read_factors(path)
    assert result.reading.ok
    assert result.factor_set.lookup(AVERAGE_CAR_KM).row == 6
    assert result.reading.layout == "DESNZ flat file, header row 5 of 'Factors by Category'"


def test_bad_factor_rows_are_refused_with_row_and_column_and_nothing_is_kept(tmp_path):
    rows = [
        CAR_ROW,
        [*CAR_ROW[:9], "n/a"],
        ["", *CAR_ROW[1:]],
    ]
    path = _flat_file(tmp_path / "bad.xlsx", rows)
    result = read_factors(path, name="bad.xlsx")
    assert result.factor_set is None
    assert result.reading.rows == ()
    assert [str(p) for p in result.reading.problems] == [
        "bad.xlsx [Factors by Category]:7: ID: ID 25_301_3074_4_1 is given twice (also row 6)",
        "bad.xlsx [Factors by Category]:8: ID: the ID is blank",
    ]


def test_a_front_page_year_that_disagrees_is_refused(tmp_path):
    path = _flat_file(tmp_path / "f.xlsx", [CAR_ROW], year=2024)
    book = openpyxl.load_workbook(path)
    book["Front page"]["D2"] = 2023
    book.save(path)
    result = read_factors(path, name="f.xlsx")
    assert [p.message for p in result.reading.problems] == [
        "the front page says 2023 but the factors are headed 2024"
    ]


def test_a_workbook_without_the_factor_sheet_is_not_a_flat_file(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "x.xlsx")
    result = read_factors(tmp_path / "x.xlsx")
    assert result.reading.problems[0].message == (
        "no sheet named 'Factors by Category': not a DESNZ conversion factors flat file"
    )


PAPER_CSV = """\
Order date,Description,Quantity,Unit
2023-04-12,"A4 copier paper 80gsm, box of 5 reams",120,Reams
30/05/2023,A4 copier paper 80gsm,80,ream
Jun-23,Bulk paper for print room,0.5,tonnes
"""


def test_paper_purchases_read_and_add_up(tmp_path):
    (tmp_path / "paper.csv").write_text(PAPER_CSV)
    reading = read_paper(tmp_path / "paper.csv")
    assert reading.ok, reading.problems
    assert [(r.month.isoformat(), r.bought.quantity, r.bought.unit) for r in reading.rows] == [
        ("2023-04-01", D(120), "reams"),
        ("2023-05-01", D(80), "reams"),
        ("2023-06-01", D("0.5"), "tonnes"),
    ]


def test_bad_paper_rows_are_refused_all_or_nothing(tmp_path):
    (tmp_path / "paper.csv").write_text(
        "Order date,Quantity,Unit\n2023-04-12,120,boxes\nsoon,-1,reams\n2023-05-01,5,reams\n"
    )
    reading = read_paper(tmp_path / "paper.csv", name="paper.csv")
    assert reading.rows == ()
    assert [str(p) for p in reading.problems] == [
        "paper.csv:2: Unit: 'boxes' is not a unit this reader knows: use reams or tonnes",
        "paper.csv:3: Order date: 'soon' is not a date or month (2024-04 or 30/04/2024)",
        "paper.csv:3: Quantity: '-1' is not a quantity of 0 or more",
    ]
