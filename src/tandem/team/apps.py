from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "tandem.team"
    label = "team"
    verbose_name = "Team hub"

    def ready(self) -> None:
        from tandem.team import rules  # noqa: F401  (registers the access rules)
