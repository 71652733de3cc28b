from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "tandem.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        # The access rules register themselves with tandem.access, the demo loaders with
        # org.demo; hooks_plans puts plans in the 1:1's talking points.
        from tandem.growth import demo, hooks_plans, rules  # noqa: F401
        from tandem.growth.review_items import review_snapshots
        from tandem.reviews.framework import register_snapshot_provider

        # Review forms rate each person on their own framework's competencies.
        register_snapshot_provider(review_snapshots)
