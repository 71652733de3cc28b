"""Who may use the coach and read what it counted.

- Everyone signed in may have a text checked: the coach reads the text, answers, and keeps
  nothing of it.
- The counts (how often each suggestion fired, how often writers changed their text): HR
  admins for the whole company, HR partners for the departments they cover. Counts of
  upward feedback carry no department; only HR admins see them.
- The company's own words: HR admins add and remove them; every HR person can read them.
- Playbooks: everyone signed in reads the published ones (employees become managers, and
  reading is harmless); HR admins edit and publish them and read unpublished ones. Each
  person's progress is theirs; HR sees it for the managers in their scope (HR admins
  everyone, HR partners their departments) — never anyone else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.coach.models import CoachTally, CoachWord, Playbook, PlaybookProgress


@rule("coach.check")
def _coach_check(actor: Actor, _: Any) -> bool:
    """Having a text checked by the coach: everyone signed in."""
    return True


@rule("coach.stats")
def _coach_stats(actor: Actor, _: Any) -> bool:
    """The coach's counts per department: HR admins, and HR partners for their departments."""
    return actor.is_hr


@rule("coach.words.manage")
def _coach_words_manage(actor: Actor, _: Any) -> bool:
    """Adding and removing the company's own coach words: HR admins."""
    return actor.is_hr_admin


@scope_for(CoachTally)
def scope_tallies(actor: Actor, queryset: QuerySet[CoachTally]) -> QuerySet[CoachTally]:
    """Every count for HR admins; an HR partner's departments' counts; nothing for others."""
    if actor.is_hr_admin:
        return queryset
    if actor.is_hr_partner:
        return queryset.filter(actor.partner_scope_q())
    return queryset.none()


@scope_for(CoachWord)
def scope_words(actor: Actor, queryset: QuerySet[CoachWord]) -> QuerySet[CoachWord]:
    """The company's coach words: read by everyone (the coach uses them on every text)."""
    return queryset


@rule("playbook.read")
def _playbook_read(actor: Actor, playbook: Any) -> bool:
    """Reading a playbook and keeping one's own progress: everyone signed in, for the
    published ones; HR admins also for unpublished ones (to preview them)."""
    return playbook is None or playbook.published or actor.is_hr_admin


@rule("playbook.manage")
def _playbook_manage(actor: Actor, _: Any) -> bool:
    """Editing, publishing and unpublishing playbooks: HR admins."""
    return actor.is_hr_admin


@rule("playbook.completion")
def _playbook_completion(actor: Actor, _: Any) -> bool:
    """Completion of playbooks per manager: HR admins, and HR partners for their
    departments."""
    return actor.is_hr


@scope_for(Playbook)
def scope_playbooks(actor: Actor, queryset: QuerySet[Playbook]) -> QuerySet[Playbook]:
    """Published playbooks for everyone; unpublished ones too for HR admins."""
    if actor.is_hr_admin:
        return queryset
    return queryset.filter(published=True)


@scope_for(PlaybookProgress)
def scope_playbook_progress(
    actor: Actor, queryset: QuerySet[PlaybookProgress]
) -> QuerySet[PlaybookProgress]:
    """One's own progress; everyone's for HR admins; the people of an HR partner's
    departments for them."""
    own = Q(person_id=actor.person.pk)
    if actor.is_hr_admin:
        return queryset
    if actor.is_hr_partner:
        return queryset.filter(own | actor.partner_scope_q("person__"))
    return queryset.filter(own)
