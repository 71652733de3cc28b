from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The demo data (the imported history after the cycles: it is drawn from the
        # finished one), access rules, reminders and inbox entries register on import.
        from tandem.reviews import (  # noqa: F401
            demo,
            demo_history,
            inbox,
            reminders,
            rules,
        )
        from tandem.reviews.coach import register as register_coach_checks

        register_coach_checks()

        from tandem.exports.registry import register as register_export
        from tandem.reviews.exports import build_background

        register_export("reviews.cycle", build_background)
