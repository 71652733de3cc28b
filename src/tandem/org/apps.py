from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tandem.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from tandem.org import rules  # noqa: F401  (registers the access rules)
