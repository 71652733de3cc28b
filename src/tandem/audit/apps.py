from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tandem.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from tandem.audit import reminders, rules  # noqa: F401  (registers rules, daily hook)
