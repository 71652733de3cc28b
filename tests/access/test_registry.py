"""The rule registry: rules live beside their features, and nothing is left undeclared."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tandem.access import checks
from tandem.access.rules import RULES, SCOPES, registry, rule, scope_for
from tandem.goals.models import Goal
from tandem.org.models import Person

MODELS = {"Goal": Goal, "Person": Person}


def missing(source: str) -> list[checks.Missing]:
    return list(
        checks.missing_in(
            source, "app/views.py", rules={"goal.view"}, scoped={"Goal"}, models=MODELS
        )
    )


def test_the_check_reports_a_rule_nobody_declared_with_its_file_and_line() -> None:
    found = missing('x = 1\nrequire(request.user, "goal.archive", goal)\n')

    assert found == [checks.Missing("app/views.py", 2, "rule", "goal.archive")]
    assert "app/views.py:2" in found[0].message()


def test_the_check_accepts_a_declared_rule_asked_through_can() -> None:
    assert missing('if can(user, "goal.view", goal):\n    pass\n') == []


def test_the_check_reports_a_scope_for_a_model_without_one() -> None:
    found = missing("people = scope(user, Person.objects.filter(pk=1).order_by('pk'))\n")

    assert found == [checks.Missing("app/views.py", 1, "scope", "Person")]


def test_the_check_ignores_scopes_it_cannot_read_statically() -> None:
    assert missing("rows = scope(user, queryset)\nrows = scope(user, Goal.objects.all())\n") == []


def test_the_system_check_passes_on_tandems_own_code() -> None:
    assert checks.check_rules_and_scopes() == []


def test_the_system_check_reads_every_rule_call_in_the_code() -> None:
    """Guards the check itself: if it stopped finding calls it would pass on anything."""
    models = checks._tandem_models()
    found = [
        problem
        for path in checks._source_files()
        for problem in checks.missing_in(
            path.read_text(encoding="utf-8"), str(path), rules=(), scoped=(), models=models
        )
    ]

    assert sum(1 for problem in found if problem.kind == "rule") > 150
    assert sum(1 for problem in found if problem.kind == "scope") > 50


def test_every_rule_and_scope_says_who_may_in_its_docstring() -> None:
    undocumented = [entry.name for entry in registry() if not entry.doc]

    assert undocumented == [], f"add a docstring to the rule or scope of {undocumented}"


def test_rules_are_declared_in_the_rules_module_of_their_app() -> None:
    # An app whose rules outgrew one file keeps them in a rules package (growth/rules/<part>.py).
    modules = {
        entry.module.split(".rules.")[0] + ".rules" if ".rules." in entry.module else entry.module
        for entry in registry()
    }

    assert modules == {
        "tandem.access.rules",
        "tandem.audit.rules",
        "tandem.calibration.rules",
        "tandem.coach.rules",
        "tandem.exports.rules",
        "tandem.fairness.rules",
        "tandem.feedback.rules",
        "tandem.goals.rules",
        "tandem.growth.rules",
        "tandem.integrations.rules",
        "tandem.integrations.saml.rules",
        "tandem.integrations.scim.rules",
        "tandem.integrations.sso.rules",
        "tandem.integrations.webhooks.rules",
        "tandem.meetings.rules",
        "tandem.notifications.rules",
        "tandem.org.rules",
        "tandem.program.rules",
        "tandem.reviews.rules",
        "tandem.site.rules",
        "tandem.team.rules",
    }


def test_an_action_cannot_be_declared_twice() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"goal\.view"):
        rule("goal.view")(lambda actor, obj: True)
    assert RULES["goal.view"].__module__ == "tandem.goals.rules"


def test_a_scope_cannot_be_declared_twice() -> None:
    with pytest.raises(ImproperlyConfigured, match="Goal"):
        scope_for(Goal)(lambda actor, queryset: queryset)
    assert SCOPES[Goal].__module__ == "tandem.goals.rules"


def test_access_rules_command_lists_each_rule_with_its_module_and_rule() -> None:
    out = StringIO()

    call_command("access_rules", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if "program.edit" in line)
    assert "program.rules" in line
    assert "HR admins" in line


def test_access_rules_command_prints_json_for_tools() -> None:
    out = StringIO()

    call_command("access_rules", "--json", stdout=out)

    entries = json.loads(out.getvalue())
    assert {"kind": "scope", "name": "goals.Goal"}.items() <= next(
        entry for entry in entries if entry["name"] == "goals.Goal"
    ).items()
    assert len(entries) == len(RULES) + len(SCOPES)
