from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tandem.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        # The sign-in receivers and the start-up check that every rule and scope the code
        # asks for is registered (each app registers its own, from its rules.py).
        from tandem.access import checks, signals  # noqa: F401
