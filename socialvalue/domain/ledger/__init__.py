"""Payment ledgers ("spend over £25,000" files and accounts-payable extracts) as they come.

`parse(path)` finds each table's layout; `validate(parsed)` reads every row and reports
problems and totals; `checking(parsed)` does the same while yielding each good line as it
is read (one pass, for a saving service), and `checking_frames(parsed)` gives them as
polars frames, reading a large CSV by columns (`columnar`, ADR 026); `lines(parsed, report)`
yields the typed lines of a clean file for a loading service; `grouping` sums a file's
lines into the groups a saved ledger keeps (ADR 030). The accepted files are described in
docs/spend-files.md.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from socialvalue.domain.ledger.fields import ALIASES, REQUIRED, Field
from socialvalue.domain.ledger.values import (
    DateOrder,
    SupplierName,
    clean_supplier,
    parse_amount,
    parse_date,
)

if TYPE_CHECKING:
    from socialvalue.domain.ledger.ledgerfile import (
        ColumnMapping,
        Layout,
        LedgerLine,
        ParsedFile,
        Problem,
        Report,
        Source,
        checking,
        checking_frames,
        lines,
        parse,
        validate,
    )

__all__ = [
    "ALIASES",
    "REQUIRED",
    "ColumnMapping",
    "DateOrder",
    "Field",
    "Layout",
    "LedgerLine",
    "ParsedFile",
    "Problem",
    "Report",
    "Source",
    "SupplierName",
    "checking",
    "checking_frames",
    "clean_supplier",
    "lines",
    "parse",
    "parse_amount",
    "parse_date",
    "validate",
]


# The reading of files (ledgerfile) needs polars, about a tenth of a second to import: it is
# imported when one of its names is first asked for, not with the package, which the
# supplier names (`values`) bring into every process at start-up (`socialvalue status`,
# say, reads no file). Its names are those of __all__ not imported above.
_READING = frozenset(name for name in __all__ if name not in globals())


def __getattr__(name: str) -> object:
    if name in _READING:
        return getattr(import_module("socialvalue.domain.ledger.ledgerfile"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
