"""The `tandem` console script: a thin wrapper over Django's management commands.

`tandem help` (or `tandem` alone) lists Tandem's own commands first, one line each, then
the other Django commands; `tandem help <command>` is Django's help for one command.
"""

import os
import sys

# DESIGN.md spells some commands with hyphens; Django names them with underscores.
ALIASES = {
    "access-rules": "access_rules",
    "chat-receiver": "chat_receiver",
    "create-scim-token": "create_scim_token",
    "export-framework": "export_framework",
    "export-openapi": "export_openapi",
    "import-attributes": "import_attributes",
    "import-framework": "import_framework",
    "import-people": "import_people",
    "import-ratings": "import_ratings",
    "rebuild-goal-tally": "rebuild_goal_tally",
    "send-queued-email": "send_queued_email",
    "send-reminders": "send_reminders",
}
SPELLING = {command: alias for alias, command in ALIASES.items()}
# Commands of other apps that running Tandem needs, listed with Tandem's own.
NEEDED = {
    "migrate": "Create or update the database tables (run after every upgrade).",
    "db_worker": "Run the background-task worker (e-mails, launches): keep one running.",
    "rqworker": "The worker for the Redis queue (TANDEM_TASK_BACKEND=rq): rqworker default.",
    "check": "Check the configuration (add --deploy with production settings).",
}


def overview() -> str:
    """Tandem's commands with their one-line help, then every other command by name."""
    from django.core.management import get_commands, load_command_class

    ours: list[tuple[str, str]] = []
    others: list[str] = []
    for name, app in sorted(get_commands().items()):
        if app.startswith("tandem."):
            summary = (load_command_class(app, name).help or "").strip().split("\n")[0]
            ours.append((SPELLING.get(name, name), summary))
        elif name in NEEDED:
            ours.append((name, NEEDED[name]))
        else:
            others.append(name)
    width = max(len(name) for name, _ in ours)
    lines = ["Usage: tandem <command> [options]   (tandem help <command> for its options)", ""]
    lines.append("Tandem's commands:")
    lines += [f"  {name.ljust(width)}  {summary}" for name, summary in sorted(ours)]
    lines += ["", "Other Django commands (see the Django documentation):"]
    row = "  "
    for name in others:
        if len(row) + len(name) > 88:
            lines.append(row.rstrip())
            row = "  "
        row += name + "  "
    lines.append(row.rstrip())
    return "\n".join(lines) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    argv = list(sys.argv)
    if argv[1:2] == ["createsuperuser"]:
        sys.stderr.write(
            "Tandem has no superusers: the people who run it are HR admins.\n"
            "Run `tandem createadmin EMAIL` to create one (or make an existing person one).\n"
        )
        sys.exit(2)
    if len(argv) == 1 or argv[1:] in (["help"], ["--help"], ["-h"]):
        import django

        django.setup()
        sys.stdout.write(overview())
        return
    from django.core.management import execute_from_command_line

    argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 2 and argv[1] == "help":
        argv[2] = ALIASES.get(argv[2], argv[2])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
