from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Registers the start-up check that every queued task path names a task.
        from tandem.core import queue  # noqa: F401
