from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "tandem.exports"
    label = "exports"
    verbose_name = "Exports"

    def ready(self) -> None:
        # The access rules, and the daily clean-up of expired files.
        from tandem.exports import reminders, rules  # noqa: F401
