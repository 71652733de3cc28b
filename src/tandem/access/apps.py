from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tandem.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from tandem.access import signals  # noqa: F401  (connects the sign-in receivers)
