import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.config.settings")

application = get_wsgi_application()

# Refuse to start, saying what to do, rather than answer every page with a server error.
from socialvalue.config.checks import require_collected_static  # noqa: E402

require_collected_static()

# Everything loaded by now (Django, the apps and their models, every view module through the
# URLs) lives as long as the worker: frozen out of the garbage collector's passes, a full
# collection scans only what requests make, not the whole application (ADR 033).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports every view module)
gc.freeze()
