from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tandem.org"
    label = "org"
    verbose_name = "Organisation"
