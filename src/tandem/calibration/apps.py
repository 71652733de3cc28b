from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    name = "tandem.calibration"
    label = "calibration"
    verbose_name = "Calibration"
