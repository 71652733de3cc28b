from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    name = "tandem.calibration"
    label = "calibration"
    verbose_name = "Calibration"

    def ready(self) -> None:
        # The access rules, the adjustments shown on a review's history for HR, and the
        # demo company's session (registered with org.demo, after the reviews demo).
        from tandem.calibration import demo, history, rules  # noqa: F401
