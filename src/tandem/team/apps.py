from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "tandem.team"
    label = "team"
    verbose_name = "Team hub"

    def ready(self) -> None:
        # The access rules, and the manager's weekly digest with `tandem send-reminders`.
        from tandem.team import reminders, rules  # noqa: F401
