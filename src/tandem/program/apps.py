from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "tandem.program"
    label = "program"
    verbose_name = "Program"

    def ready(self) -> None:
        from tandem.program import rules  # noqa: F401  (registers the access rules)
