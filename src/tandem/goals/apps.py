from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


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
        post_migrate.connect(_fill_an_empty_tally, sender=self)


def _fill_an_empty_tally(**kwargs: Any) -> None:
    """After `tandem migrate`: an installation upgraded to the goal tally (or restored without
    it) has goals and an empty tally; build it then, with the code and schema that match
    (about a second at 100,000 people). An empty database, or a filled tally, is left alone."""
    from tandem.goals import tally
    from tandem.goals.models import DepartmentTally, Goal

    using = kwargs.get("using", "default")
    if Goal.objects.using(using).exists() and not DepartmentTally.objects.using(using).exists():
        tally.rebuild()
