"""Display values for the spend summary page: money, shares and flags in words."""

from decimal import Decimal

from socialvalue.domain.places import Place
from socialvalue.domain.spend import Share
from socialvalue.spend.services import SupplierTotal


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}" if amount >= 0 else f"−£{-amount:,.2f}"


def share_lines(value: Share) -> tuple[str, str]:
    """A share in a table cell, on two lines so the column stays narrow: `25.8%` over
    `£80.00 of £310.00`."""
    if value.denominator == 0:
        return "no influenceable spend", ""
    return value.percent(), f"{money(value.numerator)} of {money(value.denominator)}"


def change_lines(value: Share) -> tuple[str, str]:
    """A change in a table cell as two pieces each kept on one line: `+11.1%`, `(+£40.00)`."""
    if value.value is None:
        return "no spend in the baseline year", ""
    sign = "+" if value.numerator >= 0 else ""
    return f"{sign}{value.percent()}", f"({sign}{money(value.numerator)})"


def flag(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not known"}[value]


def place(total: SupplierTotal) -> str:
    if total.place == Place.UNPLACED.value:
        return "Could not be placed"
    return f"{total.place.capitalize()} ({total.district})" if total.district else total.place
