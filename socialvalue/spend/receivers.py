"""After a spend import is done, or the supplier register or local area changes, the
organisation's computed spend indicators are recomputed."""

from socialvalue.imports.models import Kind
from socialvalue.spend.indicators import recompute_spend_indicators


def recompute_after_import(sender, *, record, **_) -> None:
    if record.kind == Kind.SPEND:
        recompute_spend_indicators(record.organisation, trigger=record)


def recompute_after_register_change(sender, *, organisation, reason, **_) -> None:
    recompute_spend_indicators(organisation, reason=reason)
