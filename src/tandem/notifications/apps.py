from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The access rules, and the weekly digest with `tandem send-reminders`.
        from tandem.notifications import reminders, rules  # noqa: F401
