from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = "1:1s"

    def ready(self) -> None:
        from tandem.meetings import reminders  # noqa: F401  (registers the day-before reminder)
