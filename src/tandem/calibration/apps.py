from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    name = "tandem.calibration"
    label = "calibration"
    verbose_name = "Calibration"

    def ready(self) -> None:
        # The access rules, and the adjustments shown on a review's history for HR.
        from tandem.calibration import history, rules  # noqa: F401
