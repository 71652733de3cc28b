from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "tandem.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        # The access rules register themselves with tandem.access; the demo loaders with org.demo;
        # hooks_plans puts plans in the 1:1's talking points (meetings.talking_points).
        from tandem.growth import demo, hooks_plans, rules  # noqa: F401
