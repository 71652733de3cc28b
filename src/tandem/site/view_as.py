""" "View as": an HR admin previews what a person sees, read-only.

A preview renders the person's real page — the same view, templates and access rules —
with the person as the viewer, but through `access.rules.preview_user`: every `can` and
`scope` is the intersection of what the person and the HR admin may read. So a preview
never shows HR anything HR could not already open (private 1:1 notes, private feedback,
anonymous authors, the person's own drafts stay hidden, exactly as from HR), and the
banner says so (docs/anonymity.md, "View as").

Read-only three times over: the page is rendered inside `no_writes` (any INSERT, UPDATE or
DELETE raises `PreviewWrote`: a bug, never a silent write); what is shown is only the
page's main content, with every form control disabled, every form sent back to the
preview address (which refuses POST), CSRF tokens, scripts and htmx attributes removed and
links that would leave the preview turned into plain text; and the one row written is
the audit record, by `services.record_preview`, after the page rendered — once per HR
admin, person and page an hour (`needs_record`): a reload, or a return to a page recorded
in the last hour, writes nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import lxml.html
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails
from lxml import etree

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import actor_for
from tandem.notifications.templatetags.tandem_notifications import remember_unread_count
from tandem.org.models import Person, PersonStatus
from tandem.reviews import versions
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    Relationship,
    Review,
    TemplateVersion,
)
from tandem.reviews.queries import writing as review_queries

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class PreviewWrote(RuntimeError):
    """A page tried to write while it was being previewed."""


@contextmanager
def no_writes() -> Iterator[None]:
    """Refuse any statement that writes, on the default database, inside the block."""

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if _WRITE.match(sql):
            raise PreviewWrote(f"a preview tried to write: {sql[:120]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


# --- The pages a preview offers ---------------------------------------------------------


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    group: str


FEEDBACK_FORM = "Feedback form: who will read this"
PAGES: tuple[Page, ...] = (
    Page("home", "Home page", "Everyday"),
    Page("program", "How performance management works here", "Everyday"),
    Page("review-self", "Self review", "Review form, by phase"),
    Page("review-peer", "Peer review", "Review form, by phase"),
    Page("review-manager", "Manager review", "Review form, by phase"),
    Page("review-sharing", "Sharing: reading the review", "Review form, by phase"),
    Page("feedback-private", "Only the recipient", FEEDBACK_FORM),
    Page("feedback-with_manager", "The recipient and their manager", FEEDBACK_FORM),
    Page("feedback-public", "Everyone (public praise)", FEEDBACK_FORM),
)
PAGE_KEYS = {page.key: page for page in PAGES}


# --- The audit record, once per person and page an hour ---------------------------------

# The audit answers "who previewed whom, which pages, when" to the hour: a record for every
# reload of a page would only repeat the first, and cost each preview page a write. What was
# recorded is noted in the cache (Redis when configured, else each process's memory): a cache
# that forgets, or one per process, only means a record more, never one fewer.
RECORD_EVERY_SECONDS = 3600


def record_key(by_id: int, person_id: int, page: str) -> str:
    return f"view_as.recorded:{by_id}:{person_id}:{page}"


def needs_record(by_id: int, person_id: int, page: str) -> bool:
    """Whether HR admin `by_id`'s preview of `page` of the person has not been recorded in
    the last hour."""
    return cache.get(record_key(by_id, person_id, page)) is None


def remember_record(by_id: int, person_id: int, page: str) -> None:
    """Note that the preview was just recorded (after the record is written: a failed write
    is never noted)."""
    cache.set(record_key(by_id, person_id, page), True, RECORD_EVERY_SECONDS)


# --- Sample people for a role -------------------------------------------------------------

ROLE_SAMPLES = (
    ("employee", "An employee"),
    ("manager", "A manager"),
    ("executive", "An executive"),
)


def sample_person(role: str) -> Person | None:
    """A real person of the role, the same one every time (first by name): an employee
    with no reports and no role, a manager with reports, or an executive."""
    people = Person.objects.exclude(status=PersonStatus.LEFT).order_by("sort_name", "pk")
    with_reports = Person.objects.filter(manager_id__isnull=False).exclude(status=PersonStatus.LEFT)
    if role == "employee":
        people = people.exclude(pk__in=with_reports.values("manager_id")).exclude(
            pk__in=RoleGrant.objects.values("person_id")
        )
    elif role == "manager":
        people = people.filter(pk__in=with_reports.values("manager_id"))
    elif role == "executive":
        people = people.filter(
            pk__in=RoleGrant.objects.filter(role=Role.EXECUTIVE).values("person_id")
        )
    else:
        return None
    return people.first()


def role_label(user: Any) -> str:
    """What the banner calls the person: their role in plain words (from the roles their
    preview user already carries)."""
    actor = actor_for(user)
    assert actor is not None
    if actor.is_hr_admin:
        return "HR admin"
    if actor.is_executive:
        return "executive"
    if actor.is_hr_partner:
        return "HR partner"
    return "manager" if actor.is_manager else "employee"


# --- Rendering ----------------------------------------------------------------------------


def _inner_request(request: HttpRequest, user: Person, path: str, query: str) -> HttpRequest:
    """A GET for `path` as `user`, sharing nothing cached with the HR admin's request."""
    inner = HttpRequest()
    inner.META = {**request.META, "REQUEST_METHOD": "GET", "QUERY_STRING": query}
    inner.META.pop("HTTP_HX_REQUEST", None)
    inner.method = "GET"
    inner.path = inner.path_info = path
    inner.GET = QueryDict(query)
    inner.user = user
    # The top bar's notification bell is left out of a preview (`read_only`): no count to
    # read for it (a query over the person's notifications on every preview).
    remember_unread_count(inner, 0)
    # A session and messages of its own, never saved: nothing the page might put in them
    # reaches the HR admin's.
    inner.session = SessionStore()
    inner._messages = CookieStorage(inner)  # type: ignore[attr-defined]
    inner.htmx = HtmxDetails(inner)  # type: ignore[attr-defined]
    for attribute in ("csp_nonce", "_csp_nonce"):
        if hasattr(request, attribute):
            setattr(inner, attribute, getattr(request, attribute))
    if path == request.path:
        inner.resolver_match = request.resolver_match  # resolved already, for the HR admin
    else:
        try:
            inner.resolver_match = resolve(path)
        except Resolver404:
            inner.resolver_match = None
    return inner


def render_as(
    request: HttpRequest,
    user: Person,
    *,
    view: Callable[..., HttpResponse],
    path: str,
    query: str = "",
    kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page `view` answers `user` (a `preview_user`) at `path`, rendered in the person's
    time zone and refused any write."""
    inner = _inner_request(request, user, path, query)
    with no_writes(), timezone.override(user.time_zone or timezone.get_current_timezone()):
        response = view(inner, **(kwargs or {}))
        if hasattr(response, "render"):
            response = response.render()
    return response


_KEEP_LINKS = ("#",)


CONTROLS = ("input", "select", "textarea", "button", "fieldset")


# Left out of a preview: scripts in the page, CSRF tokens, messages meant for HR, and the
# account menu with the notification bell. (XPath text, not compiled `etree.XPath` objects,
# which lxml does not promise are safe to share between threads.)
_DROPPED = (
    ".//script | .//input[@name='csrfmiddlewaretoken'] | .//div[@class='messages']"
    " | .//div[contains(concat(' ', @class, ' '), ' topbar-end ')]"
)
_MAIN = "//main[@id='main']"
_ACTIVE_ATTRIBUTES = ("autofocus", "formaction")


def _inert(element: Any, *, action: str, links: dict[str, str]) -> None:
    """Links, forms and htmx of `element` made inert (see `read_only`); controls outside a
    form (the phone menu's button) keep working."""
    for node in element.iter(etree.Element):  # elements only: no comments
        for name in node.keys():  # noqa: SIM118 (iterating an element gives its children)
            if name.startswith(("hx-", "data-hx-")) or name in _ACTIVE_ATTRIBUTES:
                del node.attrib[name]
    for form in element.iter("form"):
        form.set("action", action)
        form.set("method", "post")
        form.set("aria-disabled", "true")
        for control in form.iter(*CONTROLS):
            control.set("disabled", "disabled")
    for link in element.iter("a"):
        href = link.get("href", "")
        if href.startswith(_KEEP_LINKS):
            continue
        target = links.get(href.split("?", 1)[0])
        if target is not None:
            link.set("href", target)
        else:
            link.attrib.pop("href", None)
            link.set("class", f"{link.get('class', '')} preview-link".strip())


def read_only(html: str, *, action: str, links: dict[str, str], banner: str = "") -> str:
    """The rendered page as the person sees it — their top bar, menu and page — made inert:
    every control of the page disabled, every form sent to `action` (which refuses POST),
    no CSRF token, script in the body or htmx attribute, the account menu and notification
    bell left out, and every link that is not in `links` (path -> preview address) turned
    into plain text. `banner` (HTML) opens the main content, which is wrapped in a frame."""
    document = lxml.html.document_fromstring(html)
    body = document.find("body")
    found = document.xpath(_MAIN)
    if body is None or not found:
        return ""
    main = found[0]
    for element in body.xpath(_DROPPED):
        element.drop_tree()
    _inert(body, action=action, links=links)
    for control in main.iter(*CONTROLS):
        control.set("disabled", "disabled")
    frame = lxml.html.Element("div", {"class": "preview-frame", "data-preview": ""})
    frame.text, main.text = main.text, None
    for child in list(main):
        frame.append(child)
    if banner:
        for part in lxml.html.fragments_fromstring(banner):
            if isinstance(part, str):
                continue
            main.append(part)
    main.append(frame)
    title = document.find("head/title")
    if title is not None:
        title.text = f"Preview · {title.text or ''}"
    return "<!doctype html>\n" + lxml.html.tostring(document, encoding="unicode")


def page_urls(person: Person) -> dict[str, str]:
    """{page key: its preview address} for the person. One `reverse`, the other addresses
    made from it: the banner lists every page on every preview."""
    first = PAGES[0].key
    url = reverse("site:view_as_page", args=[person.pk, first])
    prefix = url[: -len(f"{first}/")]
    return {page.key: f"{prefix}{page.key}/" for page in PAGES}


def preview_links(person: Person, urls: dict[str, str] | None = None) -> dict[str, str]:
    """The real addresses a preview keeps as links, each to its preview."""
    urls = urls or page_urls(person)
    return {reverse("home"): urls["home"], reverse("program:detail"): urls["program"]}


# --- The review form of the next (or a draft) cycle, by phase ---------------------------------

# The phase → the relationship whose form the phase shows.
PHASE_FORMS = {"self": "self", "peer": "peer", "manager": "manager", "sharing": "manager"}


def preview_cycle(relationship: str) -> Any:
    """The cycle a review form is previewed from: the newest draft that has a form for the
    relationship, else the newest running one; None when there is neither."""
    for status in (CycleStatus.DRAFT, CycleStatus.ACTIVE):
        cycle = (
            Cycle.objects.filter(status=status, forms__relationship=relationship)
            .order_by("-created_at", "-pk")
            .first()
        )
        if cycle is not None:
            return cycle
    return None


def review_form_view(request: Any, *, phase: str) -> HttpResponse:
    """What the person is shown in a phase of the next cycle: the form they write (self,
    peer, manager), or the review they read when it is shared, with its "who reads this"
    sentence. Unanswered: nothing anyone wrote is read here."""
    person = request.user
    relationship = PHASE_FORMS[phase]
    cycle = preview_cycle(relationship)
    context: dict[str, Any] = {"phase": phase, "cycle": cycle, "person": person}
    if cycle is None:
        return render(request, "site/view_as/review.html", context)
    form = CycleForm.objects.select_related("template", "version").get(
        cycle=cycle, relationship=relationship
    )
    content = form.version.content if form.version else versions.template_content(form.template)
    others = Person.objects.exclude(status=PersonStatus.LEFT).exclude(pk=person.pk)
    if phase == "self" or phase == "sharing":
        reviewer, reviewee = person, person
    elif phase == "peer":
        reviewer = person
        reviewee = (
            others.filter(manager_id=person.manager_id).order_by("sort_name", "pk").first()
            if person.manager_id
            else None
        )
    else:
        reviewer = person
        reviewee = others.filter(manager_id=person.pk).order_by("sort_name", "pk").first()
    if reviewee is None:
        context["nobody"] = True
        return render(request, "site/view_as/review.html", context)
    review = Review(
        cycle=cycle,
        reviewer=reviewer,
        reviewee=reviewee,
        relationship=relationship,
        template_version=TemplateVersion(content=content),
    )
    context.update(
        review=review,
        relationship_label=Relationship(relationship).label,
        audience=review_queries.audience(review),
        sections=review_queries.questions_view(content, {}, goals={}),
    )
    return render(request, "site/view_as/review.html", context)
