from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        import tandem.reviews.demo  # noqa: F401  (registers its demo data with org.demo)

        # The access rules, reminders and the inbox entries register themselves on import.
        from tandem.reviews import (  # noqa: F401
            inbox,
            reminders,
            rules,
        )
        from tandem.reviews.coach import register as register_coach_checks

        register_coach_checks()

        from tandem.exports.registry import register as register_export
        from tandem.reviews.exports import build_background

        register_export("reviews.cycle", build_background)
