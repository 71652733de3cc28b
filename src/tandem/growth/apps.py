from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "tandem.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        # The access rules register themselves with tandem.access; the demo loaders with org.demo.
        from tandem.growth import demo, rules  # noqa: F401
