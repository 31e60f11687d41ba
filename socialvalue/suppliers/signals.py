"""Signals other apps listen to, so the supplier register need not know them.

`register_changed(sender=Organisation, organisation=..., reason=...)` is sent once a change to
an organisation's supplier register or local area is committed: figures that place or flag
suppliers (the local-spend indicator) are worked out again then, with `reason` as the new
version's reason ("Recomputed: the local area changed").
"""

from django.db import transaction
from django.dispatch import Signal

register_changed = Signal()


def announce_register_changed(organisation, reason: str) -> None:
    """Send `register_changed` after the surrounding transaction commits (at once outside
    one), so listeners read what was saved."""
    transaction.on_commit(
        lambda: register_changed.send_robust(
            sender=type(organisation), organisation=organisation, reason=reason
        )
    )
