from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "tandem.integrations.scim"
    label = "integrations_scim"
    verbose_name = "SCIM provisioning"

    def ready(self) -> None:
        from tandem.integrations.scim import rules  # noqa: F401  (registers the access rules)
        from tandem.integrations.scim.queries import status_lines
        from tandem.integrations.status import register

        register(status_lines)
