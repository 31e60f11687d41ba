"""A ledger's lines summed into the groups a saved ledger keeps (ADR 030), against a hand
example and against a plain Python grouping of generated lines.

Hand example, one sheet, six lines (row: date, supplier, amount, expense type):
  2: 3 Apr 2023   Acme Ltd   10.50   Drugs
  3: 9 Apr 2023   Acme Ltd   -0.25   Drugs
  4: 30 Apr 2023  Acme Ltd    2.00   Cleaning
  5: 2 May 2023   Acme Ltd    4.00   Drugs
  6: 5 Apr 2023   Bolt Ltd    0.00000001   (none)
  9: 6 Apr 2023   Acme Ltd    1.00   Drugs
Acme in April: rows 2–4 and 9, 4 lines, 10.50 - 0.25 + 2.00 + 1.00 = 13.25. Acme in May: row 5,
4.00. Bolt in April: row 6, 0.00000001. By expense type: April Drugs 11.25 (3 lines),
Cleaning 2.00, none 0.00000001; May Drugs 4.00.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from socialvalue.domain.ledger import grouping
from socialvalue.domain.ledger.columnar import LINE_COLUMNS
from socialvalue.domain.numbers import row_ranges


def frame(lines: list[tuple]) -> pl.DataFrame:
    """A frame of lines as the reader gives them, from (row, date, supplier, amount,
    expense type)."""
    columns: dict[str, list] = {name: [] for name in LINE_COLUMNS}
    for row, day, supplier, amount, expense in lines:
        values = {
            "row": row,
            "date": day.isoformat(),
            "amount": amount,
            "supplier_raw": supplier,
            "supplier_name": supplier,
            "expense_type": expense,
        }
        for name in LINE_COLUMNS:
            columns[name].append(values.get(name, ""))
    return pl.DataFrame(columns, schema={n: pl.Int64 if n == "row" else pl.String for n in columns})


HAND = [
    (2, date(2023, 4, 3), "Acme Ltd", "10.50", "Drugs"),
    (3, date(2023, 4, 9), "Acme Ltd", "-0.25", "Drugs"),
    (4, date(2023, 4, 30), "Acme Ltd", "2.00", "Cleaning"),
    (5, date(2023, 5, 2), "Acme Ltd", "4.00", "Drugs"),
    (6, date(2023, 4, 5), "Bolt Ltd", "0.00000001", ""),
    (9, date(2023, 4, 6), "Acme Ltd", "1.00", "Drugs"),
]


def test_lines_are_summed_per_month_and_supplier_with_their_rows_as_ranges():
    # Read in two batches: the groups do not depend on where a batch ends.
    parts = [grouping.part(frame(HAND[:3]), ""), grouping.part(frame(HAND[3:]), "")]
    by_supplier, by_expense = grouping.groups(parts)
    found = {
        (g["month"], g["supplier_name"]): (g["amount"], g["lines"], g["rows"])
        for g in by_supplier.to_dicts()
    }
    assert found == {
        (date(2023, 4, 1), "Acme Ltd"): (D("13.25"), 4, "2–4, 9"),
        (date(2023, 5, 1), "Acme Ltd"): (D("4.00"), 1, "5"),
        (date(2023, 4, 1), "Bolt Ltd"): (D("0.00000001"), 1, "6"),
    }
    expenses = {
        (e["month"], e["expense_type"]): (e["amount"], e["lines"]) for e in by_expense.to_dicts()
    }
    assert expenses == {
        (date(2023, 4, 1), "Drugs"): (D("11.25"), 3),
        (date(2023, 4, 1), "Cleaning"): (D("2.00"), 1),
        (date(2023, 4, 1), ""): (D("0.00000001"), 1),
        (date(2023, 5, 1), "Drugs"): (D("4.00"), 1),
    }


def test_sheets_are_kept_apart_and_nothing_gives_no_groups():
    by_supplier, _ = grouping.groups(
        [grouping.part(frame(HAND[:1]), "2023"), grouping.part(frame(HAND[:1]), "2024")]
    )
    assert sorted(by_supplier["sheet"].to_list()) == ["2023", "2024"]
    by_supplier, by_expense = grouping.groups([])
    assert by_supplier.height == by_expense.height == 0


def test_row_ranges_of_several_groups_join_as_one():
    assert grouping.joined_ranges(["2–4, 9", "5", "10–11", ""]) == "2–5, 9–11"
    assert grouping.joined_ranges(["7", "3–8", "12"]) == "3–8, 12"
    assert grouping.joined_ranges([]) == grouping.joined_ranges([""]) == ""


@settings(max_examples=100, deadline=None)
@given(groups=st.lists(st.lists(st.integers(1, 200), min_size=1, max_size=30), max_size=8))
def test_joined_ranges_are_the_ranges_of_every_row(groups):
    joined = grouping.joined_ranges([row_ranges(rows) for rows in groups])
    assert joined == row_ranges(row for rows in groups for row in rows)


lines_strategy = st.lists(
    st.tuples(
        st.integers(1, 3),  # month
        st.sampled_from(["Acme Ltd", "Bolt Ltd", "Care CIC"]),
        st.integers(-(10**12), 10**12),  # hundred-millionths of a pound
        st.sampled_from(["Drugs", "Cleaning", ""]),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(lines=lines_strategy, cut=st.integers(0, 60))
def test_groups_equal_a_plain_python_grouping(lines, cut):
    rows = [
        (
            2 + i,
            date(2023, month, 1 + i % 28),
            supplier,
            format(D(units).scaleb(-8), "f"),
            expense,
        )
        for i, (month, supplier, units, expense) in enumerate(lines)
    ]
    parts = [grouping.part(frame(rows[:cut]), ""), grouping.part(frame(rows[cut:]), "")]
    by_supplier, by_expense = grouping.groups(parts)
    expected: dict = defaultdict(lambda: [D(0), 0, []])
    expected_types: dict = defaultdict(lambda: [D(0), 0])
    for row, day, supplier, amount, expense in rows:
        key = (day.replace(day=1), supplier)
        expected[key][0] += D(amount)
        expected[key][1] += 1
        expected[key][2].append(row)
        kind = expected_types[(day.replace(day=1), expense)]
        kind[0] += D(amount)
        kind[1] += 1
    assert {
        (g["month"], g["supplier_name"]): (g["amount"], g["lines"], g["rows"])
        for g in by_supplier.to_dicts()
    } == {key: (total, n, row_ranges(r)) for key, (total, n, r) in expected.items()}
    assert {
        (e["month"], e["expense_type"]): (e["amount"], e["lines"]) for e in by_expense.to_dicts()
    } == {key: (total, n) for key, (total, n) in expected_types.items()}
