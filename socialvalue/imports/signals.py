"""Signals other apps listen to, so that imports need not know them.

`import_done(sender=Import, record=...)` is sent after an import has been saved and marked
done (outside its transaction): figures computed from spend lines are recomputed then.
"""

from django.dispatch import Signal

import_done = Signal()
