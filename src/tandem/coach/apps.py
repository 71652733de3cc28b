from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "tandem.coach"
    label = "coach"
    verbose_name = "Feedback coach"

    def ready(self) -> None:
        import tandem.coach.demo  # noqa: F401  (registers its demo data with org.demo)

        # The access rules register themselves on import.
        from tandem.coach import rules  # noqa: F401
