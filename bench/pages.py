"""Measure every page and every GET endpoint of the API on a 10,000- and a 100,000-person
company, so that no page can be forgotten.

    .venv/bin/python bench/pages.py [--people 10000 100000] [--repeat 20] [--only goals]

The pages are not listed by hand: the script walks the URL conf (every named route, the
included apps too) and the django-ninja API's OpenAPI paths (GET operations only), and
fills each path parameter (`<int:goal_id>`, `{cycle_id}`…) with a real row of the demo
company through FILLERS, a mapping from parameter name to a query. A parameter without a
filler stops the run and names the route, so a new page cannot be skipped in silence.

Each page is requested by the role that sees the most of it — the first of the HR admin,
the executive, the manager of managers, the first-line manager, the IT admin, the object's
manager and the object's owner to be answered 200 — and by the demo's typical employee. After a
warm-up, `--repeat` requests each are timed (server time: django.test.Client in-process)
and one more is captured for its query count. A page that answers 405 to a GET is a
POST-only action: it is listed as skipped, with that reason.

Databases and process layout are bench/org.py's: DATABASE_URL (PostgreSQL, one database
per size: tandem_bench -> tandem_bench100k) or a SQLite file per size under var/bench/,
one child process per size; an existing demo company of the right size is reused. The
table is written to docs/benchmarks.md, in a section of its own per database engine.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import logging
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from org import (  # bench/ is not a package: org.py is found through sys.path
    BENCH_VAR,
    DOCS,
    ROOT,
    SEED,
    child_env,
    database_url,
    ensure_postgres_database,
    label,
    machine,
    percentile,
    settle_database,
    write_docs,
)

TARGET_MS = 150.0
# The two pages that aggregate a whole company or cycle have a looser target (issue 11).
SLOW_TARGETS_MS = {
    "goals:coverage": 300.0,
    "tandem_goals_api_goal_coverage": 300.0,
    "tandem_goals_api_goal_coverage_people": 300.0,
    "reviews:cycle": 300.0,
    "tandem_reviews_api_cycles_get_cycle_progress": 300.0,
    "tandem_reviews_api_cycles_list_cycle_progress_by_manager": 300.0,
    # Fairness figures aggregate a whole cycle per group (issue 14: the endpoint < 300 ms).
    "fairness:cycle": 300.0,
    "tandem_fairness_api_fairness_get_cycle_fairness": 300.0,
}
WARMUP = 3
SLOW_BUDGET_MS = 10_000.0  # time spent sampling one slow page and role, at most about
MIN_SAMPLES = 5

# Routes that are not pages of the application, with the reason they are not measured.
NOT_MEASURED = {
    "api-not-found": "the catch-all answer to an unknown API address",
    "logout": "signs out (POST only)",
    "api:api-root": "the API's root, which answers 404 (the operations are under it)",
}


def target_for(name: str) -> float:
    return SLOW_TARGETS_MS.get(name, TARGET_MS)


# --- What to measure -----------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name" for a page, the operationId for an API operation
    pattern: str  # "/goals/<int:goal_id>/" or "/api/v1/goals/{goal_id}"
    query: str = ""  # an extra query string ("q=smith") for a variant of a page

    @property
    def params(self) -> list[str]:
        return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", self.pattern)]

    @property
    def label(self) -> str:
        return f"{self.name} ?{self.query}" if self.query else self.name


def url_conf_pages() -> Iterator[Page]:
    """Every route of the URL conf, recursively, except the API's (measured from its
    OpenAPI paths, which say which method each operation answers)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Page]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                pattern = prefix + str(entry.pattern)
                if not name:
                    raise SystemExit(f"bench/pages.py: the route {pattern!r} has no name")
                if not isinstance(entry.pattern, RoutePattern):
                    pattern = pattern.lstrip("^").rstrip("$")
                yield Page(name=name, pattern=pattern)

    for page in walk(get_resolver().url_patterns, "/", ""):
        operation = page.pattern.startswith("/api/") and page.name not in API_PAGES
        if not operation:
            yield page


# Routes of the API namespace that are not operations of the OpenAPI schema.
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root", "api-not-found"}


def api_operations() -> Iterator[Page]:
    """Every GET operation of the API, from the live OpenAPI schema."""
    from tandem.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        if "get" in operations:
            yield Page(name=operations["get"]["operationId"], pattern=path)


# Variants worth their own line: the searches the issue names, and lists with a filter.
VARIANTS = [
    Page(name="org:directory", pattern="/people/", query="q=SEARCH_WORD"),
    Page(name="org:hr_people", pattern="/hr/people/", query="q=SEARCH_WORD"),
    Page(name="tandem_org_api_list_people", pattern="/api/v1/people", query="q=SEARCH_WORD"),
    # The team hub's whole subtree: the CEO's first page is the one the issue budgets.
    Page(name="team:hub", pattern="/team/", query="view=all"),
    Page(name="tandem_team_api_team", pattern="/api/v1/team/", query="subtree=true"),
    # A cycle's fairness figures by the demo's gender attribute (the HR admin holds the
    # people-analytics role in the demo).
    Page(
        name="tandem_fairness_api_fairness_get_cycle_fairness",
        pattern="/api/v1/reviews/cycles/{cycle_id}/fairness",
        query="attribute=gender",
    ),
    Page(
        name="fairness:cycle",
        pattern="/hr/fairness/cycles/<int:cycle_id>/",
        query="attribute=gender",
    ),
]


# --- Filling path parameters ----------------------------------------------------------------


@dataclass
class Filled:
    value: str
    owner: Any = None  # the person the object belongs to, when there is one


class Fillers:
    """Real rows of the demo company for each path parameter, chosen once per run.

    FILLERS maps a parameter name to a method; ROUTE_FILLERS overrides it for a route whose
    parameter of that name means something else (`item_id` of an agenda or action item)."""

    def __init__(self) -> None:
        from tandem.org import demo
        from tandem.org.models import Person

        self.logins = {key: Person.objects.get(email=email) for key, _, email in demo.LOGIN_ROLES}
        self.cache: dict[str, Filled] = {}

    def fill(self, page: Page, param: str) -> Filled:
        method = ROUTE_FILLERS.get((page.name, param)) or FILLERS.get(param)
        if method is None:
            raise SystemExit(
                f"bench/pages.py: no filler for the parameter {param!r} of {page.name} "
                f"({page.pattern}); add one to FILLERS so the page is measured"
            )
        if method not in self.cache:
            self.cache[method] = getattr(self, method)()
        return self.cache[method]

    # Each method returns one row, chosen to be a busy one where that matters.

    def person(self) -> Filled:
        manager = self.logins["director"]
        return Filled(str(manager.pk), manager)

    def department(self) -> Filled:
        from django.db.models import Count

        from tandem.org.models import Department

        busiest = Department.objects.annotate(n=Count("members")).order_by("-n", "pk").first()
        return Filled(str(busiest.pk) if busiest else "0")

    def export(self) -> Filled:
        from tandem.exports.models import Export

        export = Export.objects.filter(status="ready").order_by("-pk").first()
        return Filled(str(export.pk) if export else "0", export.requester if export else None)

    def program_preset(self) -> Filled:
        return Filled("enterprise")

    def program_change(self) -> Filled:
        from tandem.program.models import ProgramChange

        change = ProgramChange.objects.order_by("-pk").first()
        return Filled(str(change.pk) if change else "0")

    def token(self) -> Filled:
        from tandem.access.models import ApiToken

        token = ApiToken.objects.order_by("pk").first()
        return Filled(str(token.pk) if token else "0", token.person if token else None)

    def notification(self) -> Filled:
        from tandem.notifications.models import Notification

        employee = self.logins["employee"]
        row = Notification.objects.filter(person=employee).order_by("-pk").first()
        row = row or Notification.objects.order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", row.person if row else None)

    def goal(self) -> Filled:
        from django.db.models import Count

        from tandem.goals.models import Goal

        # A team goal with many goals under it: the tree, children and detail pages.
        row = (
            Goal.objects.filter(level="team", state="active")
            .annotate(n=Count("children"))
            .order_by("-n", "pk")
            .first()
        ) or Goal.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0", row.owner if row else None)

    def key_result(self) -> Filled:
        from tandem.goals.models import KeyResult

        row = KeyResult.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def feedback(self) -> Filled:
        from tandem.feedback.models import Feedback

        manager = self.logins["manager"]
        row = (
            Feedback.objects.filter(recipient=manager).order_by("-pk").first()
            or Feedback.objects.order_by("-pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.recipient if row else None)

    def praise(self) -> Filled:
        from tandem.feedback.models import Feedback

        row = Feedback.objects.filter(visibility="public").order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", row.recipient if row else None)

    def feedback_request(self) -> Filled:
        from tandem.feedback.models import FeedbackRequest

        row = FeedbackRequest.objects.order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", row.requester if row else None)

    def value(self) -> Filled:
        from tandem.org.models import CompanyValue

        row = CompanyValue.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def coach_word(self) -> Filled:
        from tandem.coach.models import CoachWord

        row = CoachWord.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def chat_webhook(self) -> Filled:
        from tandem.integrations.models import ChatWebhook

        row = ChatWebhook.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def playbook(self) -> Filled:
        from tandem.coach.models import Playbook

        row = Playbook.objects.order_by("ordering", "pk").first()
        return Filled(row.slug if row else "giving-feedback-sbi")

    def playbook_step(self) -> Filled:
        return Filled("1")

    def series(self) -> Filled:
        from tandem.meetings.models import Series

        manager = self.logins["manager"]
        row = (
            Series.objects.filter(manager=manager).order_by("pk").first()
            or Series.objects.order_by("pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.report if row else None)

    def meeting(self) -> Filled:
        from tandem.meetings.models import Meeting

        series = self.fill(Page("", "<series_id>"), "series_id")
        row = Meeting.objects.filter(series_id=int(series.value)).order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", series.owner)

    def agenda_item(self) -> Filled:
        from tandem.meetings.models import AgendaItem

        row = AgendaItem.objects.order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", row.author if row else None)

    def action_item(self) -> Filled:
        from tandem.meetings.models import ActionItem

        row = ActionItem.objects.order_by("-pk").first()
        return Filled(str(row.pk) if row else "0", row.owner if row else None)

    def scale(self) -> Filled:
        from tandem.reviews.models import RatingScale

        row = RatingScale.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def template(self) -> Filled:
        from tandem.reviews.models import Template

        row = Template.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def section(self) -> Filled:
        from tandem.reviews.models import TemplateSection

        row = TemplateSection.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def question(self) -> Filled:
        from tandem.reviews.models import TemplateQuestion

        row = TemplateQuestion.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def cycle(self) -> Filled:
        from django.db.models import Count

        from tandem.reviews.models import Cycle

        row = (
            Cycle.objects.filter(status="active")
            .annotate(n=Count("participants"))
            .order_by("-n", "pk")
            .first()
        ) or Cycle.objects.order_by("-pk").first()
        return Filled(str(row.pk) if row else "0")

    def participant(self) -> Filled:
        from tandem.reviews.models import Participant

        cycle = int(self.fill(Page("", "<cycle_id>"), "cycle_id").value)
        row = (
            Participant.objects.filter(cycle_id=cycle, person=self.logins["employee"]).first()
            or Participant.objects.filter(cycle_id=cycle).order_by("pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.person if row else None)

    def nomination(self) -> Filled:
        from tandem.reviews.models import Nomination

        cycle = int(self.fill(Page("", "<cycle_id>"), "cycle_id").value)
        row = (
            Nomination.objects.filter(cycle_id=cycle, status="proposed").order_by("pk").first()
            or Nomination.objects.filter(cycle_id=cycle).order_by("pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.participant.person if row else None)

    def review(self) -> Filled:
        from tandem.reviews.models import Review

        cycle = int(self.fill(Page("", "<cycle_id>"), "cycle_id").value)
        employee = self.logins["employee"]
        row = (
            Review.objects.filter(cycle_id=cycle, reviewer=employee).order_by("pk").first()
            or Review.objects.filter(cycle_id=cycle).order_by("pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.reviewer if row else None)

    def calibration_session(self) -> Filled:
        from django.db.models import Count

        from tandem.calibration.models import Session

        row = Session.objects.annotate(n=Count("entries")).order_by("-n", "pk").first()
        return Filled(str(row.pk) if row else "0")

    def calibration_entry(self) -> Filled:
        from tandem.calibration.models import Entry

        session = int(self.fill(Page("", "<session_id>"), "session_id").value)
        row = Entry.objects.filter(session_id=session).order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def career_track(self) -> Filled:
        from django.db.models import Count

        from tandem.growth.models import Track

        row = Track.objects.annotate(n=Count("levels__placements")).order_by("-n", "pk").first()
        return Filled(str(row.pk) if row else "0")

    def framework_level(self) -> Filled:
        from tandem.growth.models import Level

        track = int(self.fill(Page("", "<track_id>"), "track_id").value)
        row = Level.objects.filter(track_id=track).order_by("position", "pk").first()
        return Filled(str(row.pk) if row else "0")

    def framework_competency(self) -> Filled:
        from tandem.growth.models import Competency

        track = int(self.fill(Page("", "<track_id>"), "track_id").value)
        row = Competency.objects.filter(track_id=track).order_by("position", "pk").first()
        return Filled(str(row.pk) if row else "0")

    def promotion_window(self) -> Filled:
        from django.db.models import Count

        from tandem.growth.models import PromotionWindow

        row = PromotionWindow.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
        return Filled(str(row.pk) if row else "0")

    def promotion_case(self) -> Filled:
        from tandem.growth.models import CaseStatus, PromotionCase

        # A case in review (the running window's), with its evidence; the largest window
        # is the finished one, whose cases are decided.
        row = (
            PromotionCase.objects.filter(status=CaseStatus.IN_REVIEW).order_by("pk").first()
            or PromotionCase.objects.order_by("pk").first()
        )
        return Filled(str(row.pk) if row else "0", row.author if row else None)

    def development_plan(self) -> Filled:
        from django.db.models import Count

        from tandem.growth.models import Plan, PlanStatus

        row = (
            Plan.objects.filter(status=PlanStatus.ACTIVE)
            .annotate(n=Count("focus_areas__actions"))
            .select_related("person")
            .order_by("-n", "pk")
            .first()
        )
        return Filled(str(row.pk) if row else "0", row.person if row else None)

    def plan_focus_area(self) -> Filled:
        from tandem.growth.models import FocusArea

        plan = self.fill(Page("", "<plan_id>"), "plan_id")
        row = FocusArea.objects.filter(plan_id=int(plan.value)).order_by("pk").first()
        return Filled(str(row.pk) if row else "0", plan.owner)

    def plan_action(self) -> Filled:
        from tandem.growth.models import Action

        plan = self.fill(Page("", "<plan_id>"), "plan_id")
        row = Action.objects.filter(focus_area__plan_id=int(plan.value)).order_by("pk").first()
        return Filled(str(row.pk) if row else "0", plan.owner)

    def oidc_provider(self) -> Filled:
        from tandem.integrations.sso.models import OidcProvider

        row = OidcProvider.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def saml_provider(self) -> Filled:
        from tandem.integrations.saml.models import IdentityProvider

        row = IdentityProvider.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def webhook_endpoint(self) -> Filled:
        from tandem.integrations.webhooks.models import Endpoint

        row = Endpoint.objects.order_by("pk").first()
        return Filled(str(row.pk) if row else "0")

    def webhook_delivery(self) -> Filled:
        from tandem.integrations.webhooks.models import Delivery

        endpoint = int(self.fill(Page("", "<endpoint_id>"), "endpoint_id").value)
        row = Delivery.objects.filter(endpoint_id=endpoint).order_by("-pk").first()
        return Filled(str(row.pk) if row else "0")

    def scim_user(self) -> Filled:
        # SCIM answers a bearer token only: the page is measured as its 401 for a session.
        return Filled(str(self.logins["employee"].pk))

    def scim_group(self) -> Filled:
        return Filled(str(self.logins["employee"].department_id or 0))

    def scim_resource_type(self) -> Filled:
        return Filled("User")

    def scim_schema(self) -> Filled:
        return Filled("urn:ietf:params:scim:schemas:core:2.0:User")

    def scim_rest(self) -> Filled:
        return Filled("Unknown")

    def setup_step(self) -> Filled:
        return Filled("calendar")

    def view_as_page(self) -> Filled:
        return Filled("home")

    def uidb64(self) -> Filled:
        employee = self.logins["employee"]
        return Filled(base64.urlsafe_b64encode(str(employee.pk).encode()).decode().rstrip("="))

    def link_token(self) -> Filled:
        # A used or expired link: the page that says so (a valid one redirects at once).
        return Filled("expired-link")


FILLERS: dict[str, str] = {
    "person_id": "person",
    "department_id": "department",
    "token_id": "token",
    "export_id": "export",
    "notification_id": "notification",
    "goal_id": "goal",
    "key_result_id": "key_result",
    "feedback_id": "feedback",
    "request_id": "feedback_request",
    "value_id": "value",
    "word_id": "coach_word",
    "webhook_id": "chat_webhook",
    "slug": "playbook",
    "position": "playbook_step",
    "series_id": "series",
    "meeting_id": "meeting",
    "item_id": "agenda_item",
    "scale_id": "scale",
    "template_id": "template",
    "section_id": "section",
    "question_id": "question",
    "cycle_id": "cycle",
    "participant_id": "participant",
    "nomination_id": "nomination",
    "review_id": "review",
    "session_id": "calibration_session",
    "entry_id": "calibration_entry",
    "track_id": "career_track",
    "level_id": "framework_level",
    "competency_id": "framework_competency",
    "window_id": "promotion_window",
    "case_id": "promotion_case",
    "plan_id": "development_plan",
    "area_id": "plan_focus_area",
    "action_id": "plan_action",
    "uidb64": "uidb64",
    "token": "link_token",
    "key": "program_preset",
    "change_id": "program_change",
    "provider_id": "oidc_provider",
    "endpoint_id": "webhook_endpoint",
    "delivery_id": "webhook_delivery",
    "name": "scim_resource_type",
    "schema_id": "scim_schema",
    "rest": "scim_rest",
    "step": "setup_step",
    "page": "view_as_page",
}
ROUTE_FILLERS: dict[tuple[str, str], str] = {
    ("meetings:action_done", "item_id"): "action_item",
    ("feedback:react", "feedback_id"): "praise",
    ("integrations_saml:login", "provider_id"): "saml_provider",
    ("integrations_saml:provider_delete", "provider_id"): "saml_provider",
    ("integrations_saml:provider_edit", "provider_id"): "saml_provider",
    ("tandem_integrations_saml_api_get_saml_provider", "provider_id"): "saml_provider",
    ("integrations_scim:user", "pk"): "scim_user",
    ("integrations_scim:group", "pk"): "scim_group",
}


# --- The child: one size, one database ------------------------------------------------------


def build_url(page: Page, fillers: Fillers, search_word: str) -> tuple[str, Any]:
    url = page.pattern
    owner = None
    for param in page.params:
        filled = fillers.fill(page, param)
        owner = owner or filled.owner
        url = re.sub(rf"<(?:\w+:)?{param}>|\{{{param}\}}", filled.value, url)
    if page.query:
        url += "?" + page.query.replace("SEARCH_WORD", search_word)
    return url, owner


def candidates(fillers: Fillers, owner: Any) -> list[tuple[str, Any]]:
    """Who to try as "the role that sees the most", in order."""
    from tandem.org.models import Person

    people = [
        ("HR admin", fillers.logins["hr"]),
        ("executive", fillers.logins["exec"]),
        ("manager of managers", fillers.logins["director"]),
        ("first-line manager", fillers.logins["manager"]),
        ("IT admin", fillers.logins["it"]),
    ]
    if owner is not None:
        if owner.manager_id:
            people.append(("the owner's manager", Person.objects.get(pk=owner.manager_id)))
        people.append(("the owner", owner))
    people.append(("employee", fillers.logins["employee"]))
    return people


def time_page(client: Any, url: str, headers: dict[str, str], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = 0
    started = time.perf_counter()
    warmed = 0
    streamed = False
    while warmed < WARMUP:
        response = client.get(url, **headers)
        status = response.status_code
        streamed = hasattr(response, "streaming_content")
        if streamed:
            b"".join(response.streaming_content)  # the export's work is in its iteration
        warmed += 1
        if (time.perf_counter() - started) * 1000 > SLOW_BUDGET_MS:
            break  # one warm-up of a minute-long export is enough
    warm_ms = (time.perf_counter() - started) * 1000 / warmed
    # A slow page (a whole-company export) gets fewer samples: about SLOW_BUDGET_MS each.
    repeat = max(min(repeat, MIN_SAMPLES), min(repeat, int(SLOW_BUDGET_MS / max(warm_ms, 1))))
    samples = []
    first_bytes = []
    size = 0
    captured = CaptureQueriesContext(connection)
    for sample in range(repeat):
        # A streamed export counts its queries in its last sample rather than in a run of
        # its own: one run of a whole-company export can take a minute.
        counting = streamed and sample == repeat - 1
        started = time.perf_counter()
        with captured if counting else contextlib.nullcontext():
            response = client.get(url, **headers)
            if streamed:
                # The time to the export's first chunk, and to its last (the sample).
                chunks = iter(response.streaming_content)
                size = len(next(chunks, b""))
                first_bytes.append((time.perf_counter() - started) * 1000)
                size += sum(len(chunk) for chunk in chunks)
        samples.append((time.perf_counter() - started) * 1000)
    if not streamed:
        with captured:
            client.get(url, **headers)
    result = {
        "status": status,
        "p50": round(statistics.median(samples), 1),
        "p95": round(percentile(samples, 95), 1),
        "queries": len(captured.captured_queries),
        "samples": repeat,
    }
    if first_bytes:
        result["first_byte_p50"] = round(statistics.median(first_bytes), 1)
        result["first_byte_p95"] = round(percentile(first_bytes, 95), 1)
        result["bytes"] = size
    return result


def run_child(size: int, repeat: int, only: str | None, skip: str | None) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rich.console import Console

    from tandem.org import demo
    from tandem.org.models import Person

    err = Console(file=sys.stderr, emoji=False)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the expected 404s
    call_command("migrate", verbosity=0, interactive=False)
    if not (BENCH_VAR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    existing = Person.objects.count()
    if existing == 0:
        err.print(f"[{label(size)}] building the demo company of {size:,} people")
        demo.load_demo(people=size, seed=SEED)
    elif existing != size:
        raise SystemExit(f"the {label(size)} database holds {existing:,} people, not {size:,}")

    result: dict[str, Any] = {"size": size, "vendor": connection.vendor}
    result["db_version"] = settle_database()

    pages = [*url_conf_pages(), *api_operations(), *VARIANTS]
    if only:
        pages = [p for p in pages if re.search(only, p.label)]
    fillers = Fillers()
    search_word = fillers.logins["manager"].last_name.split()[-1].lower()
    rows: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    client = Client()
    # As tandem/wsgi.py does for every web process: pages are timed as production serves them.
    from tandem.core.startup import freeze_startup_objects

    freeze_startup_objects()
    for page in pages:
        if skip and re.search(skip, page.label):
            skipped.append({"name": page.label, "reason": f"left out of this run (--skip {skip})"})
            continue
        if page.name in NOT_MEASURED:
            skipped.append({"name": page.label, "reason": NOT_MEASURED[page.name]})
            continue
        url, owner = build_url(page, fillers, search_word)
        row: dict[str, Any] = {"name": page.label, "url": url}
        most = None
        statuses: dict[str, int] = {}
        for who, person in candidates(fillers, owner):
            client.force_login(person)
            status = client.get(url).status_code
            statuses[who] = status
            if status == 405:
                break
            if status == 200:
                most = (who, person)
                break
        if 405 in statuses.values():
            skipped.append({"name": page.label, "reason": "POST only (answers 405 to a GET)"})
            continue
        if most is None:
            client.logout()
            status = client.get(url).status_code
            if status == 200:
                most = ("anyone (signed out)", None)
            else:
                row["most"] = {"who": "nobody", "status": status, "statuses": statuses}
        if most is not None:
            who, person = most
            if person is None:
                client.logout()
            else:
                client.force_login(person)
            row["most"] = {"who": who, **time_page(client, url, {}, repeat)}
        employee = fillers.logins["employee"]
        if most is not None and most[1] is not None and most[1] != employee:
            client.force_login(employee)
            status = client.get(url).status_code
            if status == 200:
                row["employee"] = time_page(client, url, {}, repeat)
            else:
                row["employee"] = {"status": status}
        rows.append(row)
        m = row["most"]
        err.print(
            f"[{label(size)}] {page.label}: {m.get('who')} {m.get('status')} "
            f"p95 {m.get('p95', '—')} ms, {m.get('queries', '—')} queries"
            + (
                f", first byte p95 {m['first_byte_p95']} ms, {m['bytes']:,} bytes"
                if "first_byte_p95" in m
                else ""
            )
        )
    result["rows"] = rows
    result["skipped"] = skipped
    return result


# --- The parent: run each size, print and record ------------------------------------------


def judged_ms(cell: dict[str, Any]) -> float:
    """What the target applies to: for a streamed download (a CSV export), the time until
    its first bytes arrive and the browser starts saving; the whole file of a 100,000-person
    company takes as long as its tens of megabytes take to write."""
    return float(cell.get("first_byte_p95", cell["p95"]))


def over(name: str, cell: dict[str, Any] | None) -> bool:
    return bool(cell and "p95" in cell and judged_ms(cell) >= target_for(name.split(" ?")[0]))


def cell_text(cell: dict[str, Any] | None) -> list[str]:
    if not cell:
        return ["", "", ""]
    if "p95" not in cell:
        return [f"({cell['status']})", "", ""]
    few = "†" if cell.get("samples", 20) < 10 else ""
    if "first_byte_p95" in cell:
        whole = f"{cell['p95']:,.0f} ms for {cell['bytes'] / 1e6:.1f} MB"
        return [
            f"{cell['first_byte_p50']} (whole file {cell['p50']:,.0f})",
            f"{cell['first_byte_p95']} (whole file {whole}){few}",
            str(cell["queries"]),
        ]
    return [str(cell["p50"]), f"{cell['p95']}{few}", str(cell["queries"])]


def render_section(results: list[dict[str, Any]], command: str) -> str:
    vendor = results[0]["vendor"]
    box = machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"<!-- bench:pages-{vendor} -->",
        f"## Every page, {results[0]['db_version']}",
        "",
        f"Run {when} with `{command}`.",
        "",
        f"Machine: {box['cpu']}, `nproc` = {box['nproc']} (shared with other work), Python "
        f"{box['python']}; load average {box['load']} when the run ended.",
        "",
        "Server time in milliseconds (django.test.Client in-process, after a warm-up) and the "
        "number of queries of one request, for every route of the URL conf and every GET "
        "operation of the API. *Most* is the role that sees the most of the page (named in "
        "the last column); *employee* is the demo's typical employee (a status in brackets "
        "when the page is not theirs). Target: p95 < 150 ms, 300 ms for coverage and cycle "
        "progress; **bold** is over target. A streamed download (a CSV export) is judged by "
        "its time to the first bytes, when the browser starts saving; the whole file's time "
        "is in brackets.",
        "",
    ]
    header = "| page |"
    rule = "|---|"
    for r in results:
        s = label(r["size"])
        header += f" {s} most p50 | {s} most p95 | {s} queries | {s} employee p95 | {s} queries |"
        rule += "---:|" * 5
    lines += [header + " most is |", rule + "---|"]
    by_name = [{row["name"]: row for row in r["rows"]} for r in results]
    for row in results[0]["rows"]:
        name = row["name"]
        cells = []
        for table in by_name:
            found = table.get(name, {})
            most = cell_text(found.get("most"))
            if over(name, found.get("most")):
                most[1] = f"**{most[1]}**"
            emp = cell_text(found.get("employee"))
            if over(name, found.get("employee")):
                emp[1] = f"**{emp[1]}**"
            cells += [most[0], most[1], most[2], emp[1] or emp[0], emp[2]]
        who = row["most"].get("who", "")
        if "p95" not in row["most"]:
            who = f"nobody is answered 200 ({row['most'].get('status')})"
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {who} |")
    lines += [
        "",
        "† fewer samples (a slow page gets about 10 s of samples, at least 5): p95 is about "
        "the slowest.",
        "",
        "Not measured:",
        "",
    ]
    for skip in results[0]["skipped"]:
        lines.append(f"- `{skip['name']}`: {skip['reason']}.")
    lines += ["", f"<!-- /bench:pages-{vendor} -->"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=20, help="samples per page and role")
    parser.add_argument("--only", help="measure only the pages whose name matches this regex")
    parser.add_argument(
        "--skip", help="leave out the pages whose name matches this regex (listed as such)"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_child(args.child, args.repeat, args.only, args.skip)))
        return

    from rich.console import Console
    from rich.table import Table

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.people:
        url = database_url(size)
        if url.startswith("postgres"):
            ensure_postgres_database(url)
        extra = ["--only", args.only] if args.only else []
        extra += ["--skip", args.skip] if args.skip else []
        child = subprocess.run(  # noqa: S603 (our own script, our own arguments)
            [sys.executable, __file__, "--child", str(size), "--repeat", str(args.repeat), *extra],
            env=child_env(url),
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise SystemExit(f"the {label(size)} benchmark failed (exit {child.returncode})")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))

    console = Console(width=max(Console().width, 160), emoji=False)
    table = Table(title=f"Every page, server time in ms ({results[0]['db_version']})")
    table.add_column("page", no_wrap=True)
    for r in results:
        for column in ("most p50", "most p95", "queries", "employee p95", "queries"):
            table.add_column(f"{label(r['size'])} {column}", justify="right")
    by_name = [{row["name"]: row for row in r["rows"]} for r in results]
    flagged = []
    for row in results[0]["rows"]:
        cells = []
        for r, rows in zip(results, by_name, strict=True):
            found = rows.get(row["name"], {})
            most, emp = cell_text(found.get("most")), cell_text(found.get("employee"))
            for cell, text in ((found.get("most"), most), (found.get("employee"), emp)):
                if over(row["name"], cell):
                    text[1] = f"[red]{text[1]}[/red]"
                    if r["size"] == max(args.people):
                        flagged.append(row["name"])
            cells += [most[0], most[1], most[2], emp[1] or emp[0], emp[2]]
        table.add_row(row["name"], *cells)
    console.print(table)
    for skip in results[0]["skipped"]:
        console.print(f"not measured: {skip['name']}: {skip['reason']}")
    if flagged:
        console.print("[red]over target:[/red] " + ", ".join(sorted(set(flagged))))

    if not args.no_docs and not args.only:
        command = shlex.join([".venv/bin/python", "bench/pages.py", *sys.argv[1:]])
        if os.environ.get("DATABASE_URL"):
            command = f"DATABASE_URL={os.environ['DATABASE_URL']} {command}"
        write_docs(render_section(results, command), f"pages-{results[0]['vendor']}")
        console.print(f"Wrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
