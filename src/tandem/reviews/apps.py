from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Reminders and the inbox entries register themselves on import.
        from tandem.reviews import (  # noqa: F401
            inbox,
            reminders,
            tasks_release,
        )
