from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tandem.integrations.webhooks"
    label = "integrations_webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        # The access rules; the audit listener that turns writes into events; the daily sweep
        # of abandoned deliveries; the IT page's line.
        from tandem.audit.services import add_listener
        from tandem.core.reminders import register as register_daily
        from tandem.integrations.status import register
        from tandem.integrations.webhooks import rules, services, status  # noqa: F401

        add_listener(services.on_audit_events)
        register_daily(services.requeue_stalled)
        register(status.lines)
