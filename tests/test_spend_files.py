"""Every spend file in the shared public data set imports, or is refused for a reason a person
would agree with (docs/spend-files.md). Skipped, with the reason, when the data set is absent.

`EXPECTED` pins each file's payment-row count and total as this reader gives them; each
figure was looked over against the file, and the files in `test_hand_checked_*` were summed
independently (a plain `csv` loop over the amount column, and the workbook's own total line).
"""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from socialvalue.domain.ledger import ColumnMapping, DateOrder, lines, parse, validate
from tests.conftest import SHARED_DATA
from tests.factories import OrganisationFactory

SPEND = SHARED_DATA / "spend"

pytestmark = pytest.mark.skipif(
    not SPEND.is_dir(), reason=f"the shared public data set is not at {SPEND}"
)

REFUSED = {
    # Row 151 names no supplier: a payment of £290.00 to nobody cannot be loaded.
    "hyndburn-council/November-23-csv.csv": [
        "November-23-csv.csv:151:E (Name): the supplier is empty",
    ],
    # Two payments to Royal Free London NHS FT have an empty Amount cell.
    "nhs-london-2020-21/HILL/HILL 00-03 - Nov 2019 to June 2020.xlsx": [
        "HILL 00-03 - Nov 2019 to June 2020.xlsx[Sheet1]:267:H (Amount): the amount is empty",
        "HILL 00-03 - Nov 2019 to June 2020.xlsx[Sheet1]:269:H (Amount): the amount is empty",
    ],
}

EXPECTED = {
    "hyndburn-council/1575631095wpdm_1910.csv": (265, "688092.56"),
    "hyndburn-council/1603177375wpdm_July-2020.csv": (385, "1667512.19"),
    "hyndburn-council/1615386198wpdm_Oct2020-csv.csv": (245, "713856.44"),
    "hyndburn-council/1694702240wpdm_July-23-csv.csv": (473, "1255544.20"),
    "hyndburn-council/1698840997wpdm_September-2023.csv": (468, "1075733.69"),
    "hyndburn-council/1700664724wpdm_May-2023-csv.csv": (572, "1214631.73"),
    "hyndburn-council/1701.csv": (180, "538272.19"),
    "hyndburn-council/1702.csv": (163, "513529.56"),
    "hyndburn-council/1703.csv": (256, "568545.31"),
    "hyndburn-council/1704.csv": (258, "1015268.02"),
    "hyndburn-council/1705.csv": (178, "766376.54"),
    "hyndburn-council/1706.csv": (257, "521511.35"),
    "hyndburn-council/1707.csv": (192, "1330068.53"),
    "hyndburn-council/1708.csv": (187, "300174.21"),
    "hyndburn-council/1709.csv": (127, "504287.05"),
    "hyndburn-council/1710.csv": (195, "507846.04"),
    "hyndburn-council/1711.csv": (174, "361492.65"),
    "hyndburn-council/1712.csv": (152, "383866.96"),
    "hyndburn-council/1801.csv": (230, "725029.22"),
    "hyndburn-council/1802.csv": (139, "424835.79"),
    "hyndburn-council/1803.csv": (249, "1042401.72"),
    "hyndburn-council/1804.csv": (232, "828150.52"),
    "hyndburn-council/1805.csv": (201, "1168739.60"),
    "hyndburn-council/1806.csv": (241, "1160404.75"),
    "hyndburn-council/1807.csv": (231, "1275690.83"),
    "hyndburn-council/1808.csv": (173, "680531.68"),
    "hyndburn-council/1809.csv": (157, "325383.30"),
    "hyndburn-council/1810.csv": (186, "564264.79"),
    "hyndburn-council/1811.csv": (220, "567555.91"),
    "hyndburn-council/1812.csv": (161, "468555.31"),
    "hyndburn-council/1901.csv": (210, "509325.94"),
    "hyndburn-council/1902.csv": (230, "588900.56"),
    "hyndburn-council/1903.csv": (222, "534912.64"),
    "hyndburn-council/1904.csv": (222, "499251.46"),
    "hyndburn-council/1905.csv": (189, "409687.98"),
    "hyndburn-council/1906.csv": (252, "946618.77"),
    "hyndburn-council/1907.csv": (201, "537489.25"),
    "hyndburn-council/1908.csv": (223, "667772.29"),
    "hyndburn-council/1909.csv": (169, "548180.76"),
    "hyndburn-council/1911.csv": (202, "493715.34"),
    "hyndburn-council/1912.csv": (193, "626658.01"),
    "hyndburn-council/2001.csv": (233, "504156.45"),
    "hyndburn-council/2002.csv": (184, "407648.84"),
    "hyndburn-council/2005.csv": (149, "413548.18"),
    "hyndburn-council/2006.csv": (248, "742564.48"),
    "hyndburn-council/April-2020.csv": (231, "678537.72"),
    "hyndburn-council/April-2021-csv.csv": (217, "599966.43"),
    "hyndburn-council/April-2023.csv": (502, "1216217.07"),
    "hyndburn-council/April-24.csv": (428, "2639411.52"),
    "hyndburn-council/April-25-CSV.csv": (404, "7818594.56"),
    "hyndburn-council/April-250-Spends-22.csv": (276, "1041717.87"),
    "hyndburn-council/Aug-25.csv": (551, "10151989.71"),
    "hyndburn-council/August-2020.csv": (171, "491455.10"),
    "hyndburn-council/August-2021-csv.csv": (250, "761381.59"),
    "hyndburn-council/August-2022-csv.csv": (295, "975337.16"),
    "hyndburn-council/August-23-csv.csv": (606, "1487766.49"),
    "hyndburn-council/August-24.csv": (790, "8119667.45"),
    "hyndburn-council/CALL51571.csv": (389, "1738908.63"),
    "hyndburn-council/CALL51683-May-21-250.csv": (237, "918912.54"),
    "hyndburn-council/CALL57162-Copy-of-HBC-Spend-over-250.00-July-22.csv": (228, "710829.01"),
    "hyndburn-council/Dec22-250s.csv": (242, "897398.22"),
    "hyndburn-council/December-2020.csv": (205, "596535.17"),
    "hyndburn-council/December-2021.csv": (182, "565174.47"),
    "hyndburn-council/December-2024-CSV.csv": (803, "1545019.09"),
    "hyndburn-council/December-23.csv": (449, "2022348.24"),
    "hyndburn-council/Feb22-250Spends.csv": (242, "511583.74"),
    "hyndburn-council/February-2023-csv.csv": (14, "9248.26"),
    "hyndburn-council/February-2025-csv.csv": (905, "8327612.49"),
    "hyndburn-council/HBC-Spend-OVER-250.00-Mar-22.csv": (374, "1454860.45"),
    "hyndburn-council/Jan-2023.csv": (292, "794484.42"),
    "hyndburn-council/Jan2021.csv": (232, "588164.42"),
    "hyndburn-council/Jan22.csv": (232, "1449211.93"),
    "hyndburn-council/January-24.csv": (532, "1798111.23"),
    "hyndburn-council/January-25-CSV.csv": (821, "8933063.02"),
    "hyndburn-council/January-26-CSV.csv": (446, "9082922.07"),
    "hyndburn-council/July-2021-csv.csv": (248, "1019490.95"),
    "hyndburn-council/July-24.csv": (805, "9625718.91"),
    "hyndburn-council/June-2021-csv.csv": (287, "1037126.84"),
    "hyndburn-council/June-23-csv.csv": (547, "1097070.88"),
    "hyndburn-council/June-24.csv": (685, "7872257.38"),
    "hyndburn-council/March-2020-csv.csv": (281, "701358.04"),
    "hyndburn-council/March-2023-csv.csv": (17, "9185.14"),
    "hyndburn-council/March-25-CSV.csv": (888, "10043481.44"),
    "hyndburn-council/May-2022-csv.csv": (245, "985407.43"),
    "hyndburn-council/May-24.csv": (753, "10259410.15"),
    "hyndburn-council/November-2020.csv": (235, "493499.99"),
    "hyndburn-council/November-2021.csv": (248, "727735.83"),
    "hyndburn-council/November-2022-csv.csv": (14, "7395.33"),
    "hyndburn-council/November-2024-CSV.csv": (898, "8710442.11"),
    "hyndburn-council/November-25.csv": (479, "7570435.86"),
    "hyndburn-council/Oct-24-CSV.csv": (587, "7466614.05"),
    "hyndburn-council/October-2021-csv.csv": (224, "436960.25"),
    "hyndburn-council/October-2022-250Spends.csv": (262, "738184.49"),
    "hyndburn-council/October-2023.csv": (512, "848016.97"),
    "hyndburn-council/October-25.csv": (595, "10516093.02"),
    "hyndburn-council/Sept-25-CVS.csv": (585, "9018715.60"),
    "hyndburn-council/September-2020.csv": (213, "606093.73"),
    "hyndburn-council/September-2021-csv.csv": (288, "1056559.12"),
    "hyndburn-council/September-2022.csv": (14, "14309.72"),
    "hyndburn-council/September-24.csv": (625, "10570719.46"),
    "hyndburn-council/Spend-Over-250-June-25.csv": (518, "10473170.03"),
    "hyndburn-council/Spend-over-250-Dec-25.csv": (449, "2131314.37"),
    "hyndburn-council/Spend-over-250-June-22.csv": (287, "978538.73"),
    "hyndburn-council/Spend-over-250.00-July-25.csv": (623, "9922521.85"),
    "hyndburn-council/Spend-over-250.00-Mar-24.csv": (658, "3414673.99"),
    "hyndburn-council/SpendOver250Feb24.csv": (569, "2030035.04"),
    "nhs-london-2020-21/BART/BART 01 - April.xlsx": (238, "48757844.82"),
    "nhs-london-2020-21/BART/BART 02 - May.xlsx": (173, "34663121.86"),
    "nhs-london-2020-21/BART/BART 03 - June.xlsx": (292, "73524642.17"),
    "nhs-london-2020-21/BART/BART 04 - July.xlsx": (215, "38425836.89"),
    "nhs-london-2020-21/BART/BART 05 - August.xlsx": (166, "36238485.69"),
    "nhs-london-2020-21/BART/BART 06 - September.xlsx": (286, "72445790.06"),
    "nhs-london-2020-21/BART/BART 07 - October.xlsx": (213, "39675855.66"),
    "nhs-london-2020-21/BART/BART 08 - November.xlsx": (204, "34541876.93"),
    "nhs-london-2020-21/BART/BART 09 - December.xls": (211, "60110413.54"),
    "nhs-london-2020-21/BART/BART 10 - January.xlsx": (237, "38666159.58"),
    "nhs-london-2020-21/BART/BART 11 - February.xlsx": (164, "26591961.37"),
    "nhs-london-2020-21/CHWE/CHWE 01 - April.csv": (141, "21963605.56"),
    "nhs-london-2020-21/CHWE/CHWE 02 - May.csv": (101, "19724112.94"),
    "nhs-london-2020-21/CHWE/CHWE 03 - June.csv": (120, "27074276.42"),
    "nhs-london-2020-21/CHWE/CHWE 04 - July.csv": (124, "21039471.01"),
    "nhs-london-2020-21/CHWE/CHWE 05 - August.csv": (109, "22141517.18"),
    "nhs-london-2020-21/CHWE/CHWE 06 - September.csv": (109, "23035474.11"),
    "nhs-london-2020-21/CHWE/CHWE 07 - October.csv": (113, "16888326.63"),
    "nhs-london-2020-21/CHWE/CHWE 08 - November.csv": (89, "25100607.36"),
    "nhs-london-2020-21/CHWE/CHWE 09 - December.csv": (135, "27836195.21"),
    "nhs-london-2020-21/CHWE/CHWE 10 - January.csv": (97, "16468787.03"),
    "nhs-london-2020-21/CHWE/CHWE 11 - February.csv": (128, "25438611.77"),
    "nhs-london-2020-21/CHWE/CHWE 12 - March.csv": (181, "28402936.35"),
    "nhs-london-2020-21/CROY/CROY 01 - April.csv": (185, "8357148"),
    "nhs-london-2020-21/CROY/CROY 02 - May.csv": (183, "5336369"),
    "nhs-london-2020-21/CROY/CROY 03 - June.csv": (175, "8477512"),
    "nhs-london-2020-21/CROY/CROY 04 - July.csv": (208, "8982265"),
    "nhs-london-2020-21/CROY/CROY 05 - August.csv": (128, "6057843"),
    "nhs-london-2020-21/CROY/CROY 06 - Spetember.csv": (133, "5477695"),
    "nhs-london-2020-21/CROY/CROY 07 - October.csv": (128, "7702339"),
    "nhs-london-2020-21/CROY/CROY 08 - November.csv": (157, "7024486"),
    "nhs-london-2020-21/CROY/CROY 09 - December.csv": (146, "10920718.74"),
    "nhs-london-2020-21/CROY/CROY 10 - January.csv": (151, "6001435.79"),
    "nhs-london-2020-21/CROY/CROY 11 - February.csv": (178, "6990013"),
    "nhs-london-2020-21/CROY/CROY 12 - March.csv": (191, "10454255.29"),
    "nhs-london-2020-21/EPSH/EPSH 01 - April.csv": (146, "23427533.98"),
    "nhs-london-2020-21/EPSH/EPSH 02 - May.csv": (202, "21980790.31"),
    "nhs-london-2020-21/EPSH/EPSH 03 - June.csv": (193, "20454640.84"),
    "nhs-london-2020-21/EPSH/EPSH 04 - July.csv": (237, "21369657.53"),
    "nhs-london-2020-21/EPSH/EPSH 05 - August.csv": (193, "21105897.88"),
    "nhs-london-2020-21/EPSH/EPSH 06 - September.csv": (198, "144305472.96"),
    "nhs-london-2020-21/EPSH/EPSH 07 - October.csv": (209, "23258500.77"),
    "nhs-london-2020-21/EPSH/EPSH 08 - November.csv": (198, "23115693.72"),
    "nhs-london-2020-21/EPSH/EPSH 09 - December.csv": (256, "27273421.23"),
    "nhs-london-2020-21/EPSH/EPSH 10 - January.csv": (191, "22673592.25"),
    "nhs-london-2020-21/EPSH/EPSH 11 - February.csv": (223, "23366935.01"),
    "nhs-london-2020-21/EPSH/EPSH 12 - March.csv": (282, "30658410.16"),
    "nhs-london-2020-21/HILL/HILL 03-05 - June to August.xlsx": (171, "17989731.87"),
    "nhs-london-2020-21/HILL/HILL 06-09 - September to November.xlsx": (191, "15428661.71"),
    "nhs-london-2020-21/HILL/HILL 09-12 - December 2020 to March 2021.xlsx": (438, "40393718.98"),
    "nhs-london-2020-21/IMPC/IMPC 01 - April.csv": (172, "43994508.81"),
    "nhs-london-2020-21/IMPC/IMPC 02 - May.csv": (256, "62887718.95"),
    "nhs-london-2020-21/IMPC/IMPC 03 - June.csv": (256, "57057465.85"),
    "nhs-london-2020-21/IMPC/IMPC 04 - July.csv": (244, "52951779.67"),
    "nhs-london-2020-21/IMPC/IMPC 05 - August.csv": (197, "46539228.19"),
    "nhs-london-2020-21/IMPC/IMPC 06 - September.csv": (229, "54019957.01"),
    "nhs-london-2020-21/IMPC/IMPC 07 - October.csv": (206, "52530803.87"),
    "nhs-london-2020-21/IMPC/IMPC 08 - November.csv": (232, "52724112.17"),
    "nhs-london-2020-21/IMPC/IMPC 09 - December.csv": (217, "55638925.01"),
    "nhs-london-2020-21/IMPC/IMPC 10 - January.csv": (241, "45500813.89"),
    "nhs-london-2020-21/IMPC/IMPC 11 - February.csv": (196, "49414373.33"),
    "nhs-london-2020-21/IMPC/IMPC 12 - March.csv": (304, "73807080.92"),
    "nhs-london-2020-21/KICO/KICO 01 - April.csv": (219, "53035476.44"),
    "nhs-london-2020-21/KICO/KICO 02 - May.csv": (193, "50035118.83"),
    "nhs-london-2020-21/KICO/KICO 03 - June.csv": (227, "45518694.28"),
    "nhs-london-2020-21/KICO/KICO 04 - July.csv": (227, "48879495.85"),
    "nhs-london-2020-21/KICO/KICO 05 - August.csv": (138, "30623787.60"),
    "nhs-london-2020-21/KICO/KICO 06 - September.csv": (203, "54292183.34"),
    "nhs-london-2020-21/KICO/KICO 07 - October.csv": (135, "38465788.86"),
    "nhs-london-2020-21/KICO/KICO 08 - November.csv": (183, "67014100.01"),
    "nhs-london-2020-21/KICO/KICO 09 - December.csv": (213, "48462818.01"),
    "nhs-london-2020-21/LEGR/LEGR 01 - April.csv": (159, "19326741.52"),
    "nhs-london-2020-21/LEGR/LEGR 02 - May.csv": (107, "16795431.60"),
    "nhs-london-2020-21/LEGR/LEGR 04 - July.csv": (124, "9866710.66"),
    "nhs-london-2020-21/LEGR/LEGR 05 - August.csv": (127, "12418141.51"),
    "nhs-london-2020-21/LEGR/LEGR 06 - Septeber.csv": (125, "15242172.56"),
    "nhs-london-2020-21/LEGR/LEGR 07 - October.csv": (165, "15061852.31"),
    "nhs-london-2020-21/LEGR/LEGR 08 - November.csv": (89, "13142280.86"),
    "nhs-london-2020-21/LEGR/LEGR 09 - December.csv": (133, "15326034.39"),
    "nhs-london-2020-21/LEGR/LEGR 10 - January.csv": (103, "14153488.45"),
    "nhs-london-2020-21/LEGR/LEGR 11 - February.csv": (124, "12532159.20"),
    "nhs-london-2020-21/LEGR/LEGR 12 - March.csv": (197, "25869951.52"),
    "nhs-london-2020-21/NEBD/NEBD 01 - April.csv": (132, "79683973.99"),
    "nhs-london-2020-21/NEBD/NEBD 02 - May.csv": (85, "23587820.16"),
    "nhs-london-2020-21/NEBD/NEBD 03 - June.csv": (83, "23907438.45"),
    "nhs-london-2020-21/NEBD/NEBD 04 - July.csv": (321, "24676831.92"),
    "nhs-london-2020-21/NEBD/NEBD 05 - August.csv": (265, "23063617.96"),
    "nhs-london-2020-21/NEBD/NEBD 06 - September.csv": (274, "23397275.33"),
    "nhs-london-2020-21/NEBD/NEBD 07 - October.csv": (267, "28162800.83"),
    "nhs-london-2020-21/NEBD/NEBD 08 - November.csv": (264, "27072498.11"),
    "nhs-london-2020-21/NEBD/NEBD 09 - December.csv": (392, "29546009.18"),
    "nhs-london-2020-21/NEBD/NEBD 10 - January.csv": (288, "28848878.55"),
    "nhs-london-2020-21/NEBD/NEBD 11 - February.csv": (357, "28940846.48"),
    "nhs-london-2020-21/NEBD/NEBD 12 - March.csv": (247, "17679013.28"),
}


def _files():
    return sorted(p for p in SPEND.rglob("*") if p.is_file()) if SPEND.is_dir() else []


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(SPEND)))
def test_every_shared_spend_file_imports_or_is_refused_for_a_reason(path):
    key = str(path.relative_to(SPEND))
    [parsed] = parse(path)
    report = validate(parsed)
    if key in REFUSED:
        assert [str(p) for p in report.problems] == REFUSED[key]
        assert report.rows_accepted == 0
    else:
        assert report.problems == []
        assert (report.rows, str(report.total)) == EXPECTED[key]


def test_the_expectations_cover_every_file():
    keys = {str(p.relative_to(SPEND)) for p in _files()}
    assert keys == set(EXPECTED) | set(REFUSED)
    assert len(keys) == 202


def _hand_sum(path, encoding, amount_col, date_col, first_data_row=2, last_data_row=None):
    """A second, simpler reading: every row from first to last with a date and an amount."""
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))[first_data_row - 1 : last_data_row]
    total, count = Decimal(0), 0
    for row in rows:
        if len(row) > amount_col and row[amount_col].strip() and row[date_col].strip():
            text = row[amount_col].replace(",", "").replace("£", "").strip()
            # Hyndburn's 2025 files write credits with a trailing minus: 1,102.86-
            total += -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)
            count += 1
    return count, total


@pytest.mark.parametrize(
    ("name", "encoding", "amount_col", "date_col", "first", "last", "expected"),
    [
        # "77,041": whole pounds with thousands commas.
        ("nhs-london-2020-21/CROY/CROY 01 - April.csv", "utf-8", 6, 2, 2, None, (185, "8357148")),
        # 4/30/2020 month-first dates, nine credits such as "-85,260.00".
        (
            "nhs-london-2020-21/EPSH/EPSH 01 - April.csv",
            "utf-8",
            7,
            2,
            2,
            None,
            (146, "23427533.98"),
        ),
        # The Entuty typo, 05-Apr-20 dates.
        (
            "nhs-london-2020-21/KICO/KICO 01 - April.csv",
            "utf-8",
            9,
            4,
            2,
            None,
            (219, "53035476.44"),
        ),
        # "29,262.00 " with a trailing space; Total Gas & Power payments are payments.
        ("nhs-london-2020-21/LEGR/LEGR 04 - July.csv", "utf-8", 7, 2, 2, None, (124, "9866710.66")),
        # cp437: the pound sign is byte 9C; 84 blank rows.
        ("hyndburn-council/November-2020.csv", "cp437", 6, 5, 2, None, (235, "493499.99")),
        # No header at the top: the header line was sorted to the last row (586); 43
        # credits written 1,102.86- with a trailing minus.
        ("hyndburn-council/Sept-25-CVS.csv", "cp1252", 16, 14, 1, 585, (585, "9018715.60")),
        # Spreadsheet serial dates (43658) in a CSV; bare carriage returns end some lines.
        ("hyndburn-council/1908.csv", "cp1252", 6, 5, 2, None, (223, "667772.29")),
    ],
)
def test_hand_checked_totals(name, encoding, amount_col, date_col, first, last, expected):
    path = SPEND / name
    count, total = _hand_sum(path, encoding, amount_col, date_col, first, last)
    assert (count, str(total)) == expected
    [parsed] = parse(path)
    report = validate(parsed)
    assert (report.rows, str(report.total)) == expected


def test_hand_checked_legacy_xls_against_its_own_total_line():
    # BART's December file is a legacy .xls whose last row holds only the sheet's own sum,
    # 60110413.539999977 as Excel stores it (60,110,413.54 on screen).
    [parsed] = parse(SPEND / "nhs-london-2020-21/BART/BART 09 - December.xls")
    report = validate(parsed)
    assert report.ok
    assert report.skipped == {"footer total": 1}
    assert (report.rows, report.total) == (211, Decimal("60110413.54"))
    assert (str(report.earliest), str(report.latest)) == ("2020-12-02", "2020-12-24")


def test_hand_checked_dates_and_layouts():
    [epsh] = parse(SPEND / "nhs-london-2020-21/EPSH/EPSH 01 - April.csv")
    report = validate(epsh)
    assert report.date_order == DateOrder.MONTH_FIRST
    assert (report.credit_rows, report.credits) == (9, Decimal("-1792140.45"))
    [kico] = parse(SPEND / "nhs-london-2020-21/KICO/KICO 01 - April.csv")
    assert kico.layout.describe()["body"] == "B (Entuty)"
    [serials] = parse(SPEND / "hyndburn-council/1908.csv")
    first = next(lines(serials, validate(serials)))
    assert (first.source.row, str(first.date), first.supplier.name) == (
        2,
        "2019-07-12",
        "EPCOLLEGE",
    )


def test_headerless_layout_reads_with_a_mapping_by_letter():
    # Hyndburn's 2025 layout spreads eight columns over seventeen (merged cells); the same
    # columns by letter read the file whatever happened to its header row.
    mapping = ColumnMapping(
        columns={"expense_area": "C", "supplier": "L", "date": "O", "amount": "Q"},
        has_header=False,
        date_order=DateOrder.DAY_FIRST,
    )
    [parsed] = parse(SPEND / "hyndburn-council/Sept-25-CVS.csv", mapping=mapping)
    report = validate(parsed)
    # The header line at the bottom is not a payment: it is refused, naming its row.
    assert [str(p) for p in report.problems] == [
        "Sept-25-CVS.csv:586:O (date): 'Payment Date' is not a date in a form this reader knows",
        "Sept-25-CVS.csv:586:Q (amount): 'Amount Paid' is not an amount of money",
    ]


def test_the_cli_dry_run_over_every_shared_file(db, capsys):
    OrganisationFactory(code="RXN")
    with pytest.raises(SystemExit) as exit:
        call_command("import", "spend", *map(str, _files()), "--org", "RXN", "--dry-run", "--json")
    assert exit.value.code == 1  # two files are refused
    data = json.loads(capsys.readouterr().out)
    assert len(data["files"]) == 202
    assert data["rows_accepted"] == sum(rows for rows, _ in EXPECTED.values())
    # 502 rows in November-23 and 475 in HILL 00-03 are read but not accepted.
    assert data["rows"] == data["rows_accepted"] + 502 + 475
    assert data["rows_rejected"] == 3
    assert Decimal(data["total_amount"]) == sum(Decimal(t) for _, t in EXPECTED.values())
    assert [(Path(p["file"]).name, p["row"], p["column"]) for p in data["problems"]] == [
        ("November-23-csv.csv", 151, "E (Name)"),
        ("HILL 00-03 - Nov 2019 to June 2020.xlsx", 267, "H (Amount)"),
        ("HILL 00-03 - Nov 2019 to June 2020.xlsx", 269, "H (Amount)"),
    ]
