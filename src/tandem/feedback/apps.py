from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        import tandem.feedback.demo  # noqa: F401  (registers its demo data with org.demo)
        from tandem.core.reminders import register

        # The access rules and the inbox provider register themselves on import.
        from tandem.feedback import inbox, rules, services  # noqa: F401

        register(services.send_request_reminders)
        register(services.release_upward_feedback)
