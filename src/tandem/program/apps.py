from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "tandem.program"
    label = "program"
    verbose_name = "Program"

    def ready(self) -> None:
        from tandem.access.landing import register_landing
        from tandem.program import (
            rules,  # noqa: F401  (registers the access rules)
            setup,
        )

        # The first HR admin of a fresh installation lands on the guided set-up.
        register_landing(setup.landing)
