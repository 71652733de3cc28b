from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "tandem.goals"
    label = "goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        import tandem.goals.demo  # noqa: F401  (registers its demo data with org.demo)
        from tandem.exports.registry import register as register_export

        # The access rules, the weekly check-in reminder and the inbox entry register
        # themselves on import.
        from tandem.goals import inbox, reminders, rules  # noqa: F401
        from tandem.goals.exports import build_background

        register_export("goals", build_background)
