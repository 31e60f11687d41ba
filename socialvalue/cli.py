"""The `socialvalue` console command: Django's management commands under one name.

`socialvalue charter validate FILE` is `manage.py charter validate FILE`, and so on.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["socialvalue", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
