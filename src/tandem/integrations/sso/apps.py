from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "tandem.integrations.sso"
    label = "integrations_sso"
    verbose_name = "Single sign-on (OIDC)"

    def ready(self) -> None:
        # Access rules; the sign-in page's buttons, the "require SSO" password policy and
        # just-in-time creation (access.external_sign_in); the IT page's status line.
        from tandem.access import external_sign_in
        from tandem.integrations import status
        from tandem.integrations.sso import queries, rules, services  # noqa: F401

        external_sign_in.register_sign_in_options(queries.sign_in_options)
        external_sign_in.register_password_policy(queries.password_refusal)
        external_sign_in.register_just_in_time(services.create_person_just_in_time)
        status.register(queries.status_lines)
