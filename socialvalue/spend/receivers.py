"""After a spend import is done, or the supplier register or local area changes, the
organisation's computed spend indicators are recomputed."""

from socialvalue.imports.models import Kind

# The spend indicators are imported when a receiver runs, not when the app is ready: they read
# ledgers with polars, a tenth of a second to import, which a process that never recomputes
# spend (`socialvalue status`, say) need not pay for.


def recompute_after_import(sender, *, record, **_) -> None:
    if record.kind == Kind.SPEND:
        from socialvalue.spend.indicators import recompute_spend_indicators

        recompute_spend_indicators(record.organisation, trigger=record)


def recompute_after_register_change(sender, *, organisation, reason, **_) -> None:
    from socialvalue.spend.indicators import recompute_spend_indicators

    recompute_spend_indicators(organisation, reason=reason)
