from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "tandem.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        # The access rules, and the chat channels the notification settings page offers.
        import tandem.integrations.demo  # noqa: F401  (registers its demo data with org.demo)
        from tandem.integrations import it, queries, rules  # noqa: F401
        from tandem.integrations.status import register
        from tandem.notifications.channels import register_chat_channels

        register_chat_channels(queries.channels_serving)
        # The IT page's lines (each part of integrations registers its own in its ready()).
        register(it.chat_lines)
        register(it.token_lines)
        register(it.email_lines)
