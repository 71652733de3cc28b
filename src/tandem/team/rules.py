"""Who may open a person's page of the team hub.

The hub itself (`/team/`) follows `team.view` (org: anyone with reports). A person's hub
page gathers what their managers follow about them — goals, feedback counts, 1:1s, the
current review — so it opens for the people above them in the reporting tree and for HR
(admins everywhere, partners in their departments); not for the person, a peer, an
executive outside the chain or an IT admin. Each figure on it is further limited by the
feature's own scope.
"""

from __future__ import annotations

from tandem.access.rules import Actor, rule
from tandem.org.models import Person


@rule("team.person")
def _team_person(actor: Actor, person: Person) -> bool:
    """A person's hub page: their manager chain, HR admins and the HR partner covering
    their department."""
    if actor.manages(person) or actor.is_hr_admin:
        return True
    return (
        actor.is_hr_partner
        and person.department is not None
        and actor.partner_covers_department_path(person.department.path)
    )
