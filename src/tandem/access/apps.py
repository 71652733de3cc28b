import importlib
import importlib.util

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tandem.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from tandem.access import signals  # noqa: F401  (connects the sign-in receivers)

        # Each feature's rules live in access/ beside the org rules, one module per feature.
        for feature in ("goals", "feedback", "meetings", "notifications", "reviews"):
            if importlib.util.find_spec(f"tandem.access.{feature}") is not None:
                importlib.import_module(f"tandem.access.{feature}")
