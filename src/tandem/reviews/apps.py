from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The access rules, reminders and the inbox entries register themselves on import.
        from tandem.reviews import (  # noqa: F401
            inbox,
            reminders,
            rules,
        )
