from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tandem.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from tandem.access.services import send_invitations_on_reset
        from tandem.org import rules  # noqa: F401  (registers the access rules)
        from tandem.org.services.invitations import invite_on_reset

        # "Forgot your password?" invites someone who has no password yet.
        send_invitations_on_reset(invite_on_reset)
