from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site as a whole: the home page every role lands on, the navigation bar, and the
    commands that see every app at once (`tandem export-openapi`). It sits above the
    features and imports them; nothing imports it (docs/architecture.md)."""

    name = "tandem.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        # The demo's story for managers runs after every feature's demo data (site is last).
        import tandem.site.demo
        import tandem.site.rules  # noqa: F401
