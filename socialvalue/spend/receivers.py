"""After a spend import is done, its organisation's computed spend indicators are recomputed."""

from socialvalue.imports.models import Kind
from socialvalue.spend.indicators import recompute_spend_indicators


def recompute_after_import(sender, *, record, **_) -> None:
    if record.kind == Kind.SPEND:
        recompute_spend_indicators(record.organisation, trigger=record)
