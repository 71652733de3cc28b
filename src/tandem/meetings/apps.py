from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = "1:1s"

    def ready(self) -> None:
        import tandem.meetings.demo  # noqa: F401  (registers its demo data with org.demo)

        # The access rules and the day-before reminder register themselves on import.
        from tandem.meetings import reminders, rules  # noqa: F401
