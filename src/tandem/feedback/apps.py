from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        from tandem.core.reminders import register
        from tandem.feedback import inbox, services  # noqa: F401  (registers the inbox provider)

        register(services.send_request_reminders)
