from django.apps import AppConfig


class SamlConfig(AppConfig):
    name = "tandem.integrations.saml"
    label = "integrations_saml"
    verbose_name = "Single sign-on (SAML)"

    def ready(self) -> None:
        # The access rules, the sign-in page's buttons and the IT page's status line.
        from tandem.access.external_sign_in import register_sign_in_options
        from tandem.integrations import status
        from tandem.integrations.saml import queries, rules  # noqa: F401

        register_sign_in_options(queries.sign_in_options)
        status.register(queries.status_lines)
