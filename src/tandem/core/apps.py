from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Registers the start-up checks: every queued task path names a task; the
        # anonymity key of a deployment. The outbox's sweep joins the reminders.
        from tandem.core import anonymity, mail, queue  # noqa: F401
