from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "tandem.program"
    label = "program"
    verbose_name = "Program"
