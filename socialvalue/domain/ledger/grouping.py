"""A ledger's checked lines summed into the groups its figures read (ADR 030).

Every spend figure is a sum over lines of one month with one supplier as written (ADR 026):
the register and the local area classify a supplier, never a single line. So a saved
ledger keeps, per sheet, month and supplier (cleaned name, company number, postcode), the
exact sum of its lines, their number and their rows as ranges ("2–4, 9"); and per sheet,
month and expense type, the sum and number. The original file stays the record of every
line. Worked out with polars from the frames of lines the reader gives
(`columnar.LINE_COLUMNS`), a few frames of a file at a time: `parts` keeps only the columns
the groups need, `groups` sums them.
"""

from collections.abc import Iterable

import polars as pl

# Exact decimals of 8 places: a 128-bit integer of hundred-millionths, so a sum of many
# amounts is exact (an amount has at most 16 digits before the point: AMOUNT_DIGITS).
AMOUNT = pl.Decimal(38, 8)
AMOUNT_DIGITS = 16
SUPPLIER_KEYS = ("sheet", "month", "supplier_name", "company_number", "supplier_postcode")
EXPENSE_KEYS = ("sheet", "month", "expense_type")
# Between the first and last row of a range, as `socialvalue.domain.numbers.row_ranges` writes.
DASH = "–"


# Texts the groups are keyed by, kept as categories while a file is read: each distinct text
# once, and a number per line (a million lines' keys in a few megabytes).
_TEXTS = ("supplier_name", "company_number", "supplier_postcode", "expense_type")


def part(frame: pl.DataFrame, sheet: str) -> pl.DataFrame:
    """The columns of a frame of lines the groups need, the amount as an exact decimal
    (the caller has refused amounts with more than 8 places, which the cast would round)."""
    return frame.select(
        pl.lit(sheet, dtype=pl.String).alias("sheet"),
        (pl.col("date").str.slice(0, 7) + "-01").str.to_date("%Y-%m-%d").alias("month"),
        *(pl.col(name).cast(pl.Categorical) for name in _TEXTS),
        pl.col("amount").cast(AMOUNT, strict=True),
        "row",
    )


def groups(parts: list[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The lines of `parts` (from `part`) summed per sheet, month and supplier as written,
    with `lines` and `rows` (ranges), and per sheet, month and expense type, with `lines`."""
    lines = pl.concat(parts, how="vertical") if parts else _empty()
    amount = pl.col("amount").sum().alias("amount")
    counted = pl.len().cast(pl.Int64).alias("lines")
    by_supplier = (
        lines.group_by(SUPPLIER_KEYS)
        .agg(amount, counted, pl.col("row").sort())
        .with_row_index("group")
    )
    ranges = _ranges(by_supplier.select("group", "row"))
    by_supplier = by_supplier.drop("row").join(ranges, on="group").drop("group")
    by_expense = lines.group_by(EXPENSE_KEYS).agg(amount, counted)
    texts = pl.col(pl.Categorical).cast(pl.String)
    return by_supplier.with_columns(texts), by_expense.with_columns(texts)


def _ranges(rows: pl.DataFrame) -> pl.DataFrame:
    """Each group's sorted row numbers as "2–4, 9": a range starts wherever a row does not
    follow the one before it in the same group."""
    one = rows.explode("row")
    starts = ((pl.col("row").diff() != 1) | (pl.col("group").diff() != 0)).fill_null(True)
    runs = (
        one.with_columns(starts.cum_sum().alias("run"))
        .group_by("run", maintain_order=True)
        .agg(
            pl.col("group").first(),
            pl.col("row").first().alias("a"),
            pl.col("row").last().alias("b"),
        )
    )
    a, b = pl.col("a").cast(pl.String), pl.col("b").cast(pl.String)
    text = pl.when(pl.col("a") == pl.col("b")).then(a).otherwise(a + DASH + b)
    return runs.group_by("group", maintain_order=True).agg(text.str.join(", ").alias("rows"))


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "sheet": pl.String,
            "month": pl.Date,
            **{name: pl.Categorical for name in _TEXTS},
            "amount": AMOUNT,
            "row": pl.Int64,
        }
    )


def joined_ranges(texts: Iterable[str]) -> str:
    """Row ranges as `groups` writes them, as one: ["2–4, 9", "5", "9–10"] gives "2–5, 9–10"
    (the rows of several groups, such as a period's lines of one file). A period's rows may
    be hundreds of thousands of ranges: worked out by polars."""
    parts = pl.Series("part", [t for t in texts if t], dtype=pl.String).str.split(", ")
    bounds = parts.explode().str.split_exact(DASH, 1).struct.unnest()
    if bounds.height == 0:
        return ""
    first = pl.col("field_0").cast(pl.Int64)
    spans = bounds.select(
        first.alias("first"), pl.col("field_1").cast(pl.Int64).fill_null(first).alias("last")
    ).sort("first")
    # A span starts a new range when it begins after every row of the spans before it, plus one.
    reach = pl.col("last").cum_max().shift(1)
    starts = (pl.col("first") > reach + 1).fill_null(True).cum_sum().alias("range")
    ranges = spans.group_by(starts, maintain_order=True).agg(
        pl.col("first").min(), pl.col("last").max()
    )
    a, b = pl.col("first").cast(pl.String), pl.col("last").cast(pl.String)
    text = pl.when(pl.col("first") == pl.col("last")).then(a).otherwise(a + DASH + b)
    return str(ranges.select(text.str.join(", ")).item())
