"""The `tandem` console script: a thin wrapper over Django's management commands."""

import os
import sys

# DESIGN.md spells some commands with hyphens; Django names them with underscores.
ALIASES = {
    "access-rules": "access_rules",
    "export-openapi": "export_openapi",
    "import-people": "import_people",
    "send-reminders": "send_reminders",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
