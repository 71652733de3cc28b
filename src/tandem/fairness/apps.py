from django.apps import AppConfig


class FairnessConfig(AppConfig):
    name = "tandem.fairness"
    label = "fairness"
    verbose_name = "Fairness and rater effects"
