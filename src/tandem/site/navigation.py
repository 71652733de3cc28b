"""The sidebar: what each person sees, grouped by what they come for.

Groups and links follow the viewer's roles, never more: a link is listed only when the page
behind it opens for this viewer (`tests/site/test_navigation.py` opens every one of them
for every role). Working out the sidebar costs no query beyond the roles the request has
already read; the counts of things waiting arrive afterwards (`views.nav_counts`), so no
page waits for them.

The sidebar is the same markup for everyone with the same roles on the same page, so its
links are worked out once per set of roles and its HTML rendered once per (links, current
page, badges): drawing twenty icons on every request cost a few milliseconds a page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from tandem.access.rules import Actor

# The links that carry a count of things waiting, and the inbox kinds that belong to a link
# other than their feature's own ("reviews.approve" waits on the manager's approvals page).
BADGED_LINKS = ("inbox", "goals", "feedback", "meetings", "reviews", "approvals")
_KIND_LINKS = {"reviews.approve": "approvals"}


@dataclass(frozen=True)
class Badge:
    key: str
    count: int
    more: bool  # the inbox had more than it lists: "50+"


@dataclass(frozen=True)
class NavLink:
    key: str  # stable id: the count badge and tests find the link by it
    label: str
    url: str
    icon: str  # a heroicons outline name
    active: bool = False
    badge: Badge | None = None  # set when the page already knows the inbox

    @property
    def badged(self) -> bool:
        return self.key in BADGED_LINKS


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    links: tuple[NavLink, ...] = ()


def _link(key: str, label: str, url_name: str, icon: str) -> NavLink:
    return NavLink(key=key, label=label, url=reverse(url_name), icon=icon)


def _groups(actor: Actor) -> tuple[NavGroup, ...]:
    return _groups_for_roles(
        manager=actor.is_manager,
        hr=actor.is_hr,
        hr_admin=actor.is_hr_admin,
        executive=actor.is_executive,
        it_admin=actor.is_it_admin,
        people_analyst=actor.is_people_analyst,
    )


@lru_cache(maxsize=64)
def _groups_for_roles(
    *,
    manager: bool,
    hr: bool,
    hr_admin: bool,
    executive: bool,
    it_admin: bool,
    people_analyst: bool = False,
) -> tuple[NavGroup, ...]:
    groups = [
        NavGroup(
            "me",
            "Me",
            (
                _link("home", "Home", "home", "home"),
                _link("inbox", "Inbox", "notifications:inbox", "inbox"),
                _link("goals", "My goals", "goals:mine", "flag"),
                _link("feedback", "Feedback", "feedback:mine", "chat-bubble-left-right"),
                _link("meetings", "1:1s", "meetings:index", "calendar-days"),
                _link("reviews", "Reviews", "reviews:mine", "clipboard-document-check"),
                _link("growth", "Where I stand", "growth:me", "arrow-trending-up"),
            ),
        )
    ]
    coverage = _link("coverage", "Alignment", "goals:coverage", "map")
    if manager:
        team = [
            _link("team", "My team", "team:hub", "user-group"),
            _link("team_checkins", "Team check-ins", "goals:team", "chart-bar"),
            _link("approvals", "Peer approvals", "reviews:approvals", "check-badge"),
            _link("playbooks", "Playbooks", "coach:playbooks", "book-open"),
            _link("plans", "Development plans", "growth:plans", "clipboard-document-list"),
            _link("promotions", "Promotions", "growth:promotions", "rocket-launch"),
        ]
        if not hr_admin:
            # The sessions where their reports' ratings are discussed (HR admins reach
            # every session from the HR group).
            team.append(_link("calibration", "Calibration", "calibration:index", "scale"))
        if not (hr or executive):
            team.append(coverage)
        groups.append(NavGroup("team", "My team", tuple(team)))
    company = [
        _link("company_goals", "Company goals", "goals:company", "trophy"),
        _link("praise", "Praise", "feedback:praise_feed", "sparkles"),
        _link("people", "People", "org:directory", "users"),
        _link("org_chart", "Org chart", "org:chart", "share"),
        _link("company", "Mission and values", "org:company", "building-office-2"),
        _link("program", "Program", "program:detail", "information-circle"),
        _link("frameworks", "Career paths", "growth:frameworks", "rectangle-stack"),
    ]
    if executive and not hr:
        company.append(coverage)
    groups.append(NavGroup("company", "Company", tuple(company)))
    if hr:
        people_ops = [
            _link("hr_people", "HR people", "org:hr_people", "identification"),
            coverage,
            _link("coach", "Feedback coach", "coach:stats", "light-bulb"),
            _link("hr_playbooks", "Manager playbooks", "coach:hr_playbooks", "academic-cap"),
            _link(
                "plans_coverage",
                "Plan coverage",
                "growth:plans_coverage",
                "presentation-chart-line",
            ),
        ]
        if hr_admin:
            people_ops.append(
                _link("review_cycles", "Review cycles", "reviews:admin", "arrow-path")
            )
            people_ops.append(_link("calibration", "Calibration", "calibration:index", "scale"))
            if not manager:
                # Managers reach it from My team; HR admins open and run the windows.
                people_ops.append(
                    _link("promotions", "Promotions", "growth:promotions", "rocket-launch")
                )
            people_ops.append(_link("level_labels", "Level labels", "growth:level_labels", "tag"))
            if people_analyst:
                people_ops.append(_link("fairness", "Fairness", "fairness:attributes", "chart-pie"))
            people_ops.append(_link("audit", "Audit log", "audit:log", "document-magnifying-glass"))
        else:
            people_ops.append(
                _link("review_cycles", "Review cycles", "reviews:cycles", "arrow-path")
            )
        groups.append(NavGroup("hr", "HR", tuple(people_ops)))
    if it_admin:
        groups.append(
            NavGroup(
                "admin",
                "Admin",
                (
                    _link("it_overview", "IT overview", "integrations:it_overview", "server-stack"),
                    _link("it", "IT admin", "access:it_tokens", "key"),
                    _link(
                        "chat",
                        "Chat webhooks",
                        "integrations:chat_webhooks",
                        "chat-bubble-left-right",
                    ),
                ),
            )
        )
    return tuple(groups)


def sidebar_for(actor: Actor, path: str) -> tuple[NavGroup, ...]:
    """The viewer's groups with the current page marked: the longest link the path starts
    with ("/reviews/admin/" over "/reviews/"; "/" only for the home page itself)."""
    groups = _groups(actor)
    urls = [link.url for group in groups for link in group.links]
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    active = max(matching, key=len, default=None)
    if active is None:
        return groups
    return tuple(
        replace(
            group, links=tuple(replace(link, active=link.url == active) for link in group.links)
        )
        for group in groups
    )


def badges_for(groups: tuple[NavGroup, ...], inbox: Any) -> list[Badge]:
    """The count of things waiting on each badged link of these groups: the inbox items of
    its feature; "Inbox" counts them all."""
    shown = {link.key for group in groups for link in group.links}
    by_link = Counter(
        _KIND_LINKS.get(item.kind, item.kind.split(".", 1)[0]) for item in inbox.items
    )
    return [
        Badge(key, inbox.count, inbox.truncated)
        if key == "inbox"
        else Badge(key, by_link.get(key, 0), False)
        for key in BADGED_LINKS
        if key in shown
    ]


def with_badges(groups: tuple[NavGroup, ...], inbox: Any) -> tuple[NavGroup, ...]:
    """The same groups, each badged link carrying its count (for a page that has already
    worked out the inbox, so the sidebar need not ask for it)."""
    badges = {badge.key: badge for badge in badges_for(groups, inbox)}
    return tuple(
        replace(
            group, links=tuple(replace(link, badge=badges.get(link.key)) for link in group.links)
        )
        for group in groups
    )


@lru_cache(maxsize=1024)
def sidebar_html(groups: tuple[NavGroup, ...], counts_known: bool, folded: bool) -> str:
    """The sidebar's markup, rendered once per distinct sidebar (it holds nothing personal
    beyond the links, the current page and the badges, all in the key)."""
    return render_to_string(
        "site/_sidebar.html",
        {"nav_groups": groups, "nav_counts_known": counts_known, "nav_folded": folded},
    )
