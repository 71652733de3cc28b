from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "tandem.coach"
    label = "coach"
    verbose_name = "Feedback coach"

    def ready(self) -> None:
        # The access rules register themselves on import.
        from tandem.coach import rules  # noqa: F401
