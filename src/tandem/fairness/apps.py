from django.apps import AppConfig


class FairnessConfig(AppConfig):
    name = "tandem.fairness"
    label = "fairness"
    verbose_name = "Fairness and rater effects"

    def ready(self) -> None:
        from tandem.fairness import demo, rules  # noqa: F401
