from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "tandem.goals"
    label = "goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        # The weekly check-in reminder and the inbox entry register themselves on import.
        from tandem.goals import inbox, reminders  # noqa: F401
