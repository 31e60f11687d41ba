import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.config.settings")

application = get_wsgi_application()

# Refuse to start, saying what to do, rather than answer every page with a server error.
from socialvalue.config.checks import require_collected_static  # noqa: E402

require_collected_static()
