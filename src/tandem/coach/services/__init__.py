"""The coach's writes: the company's words (HR, audited) and the counts a submitted text
adds. Checking a text writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.coach import queries
from tandem.coach.checks import KINDS
from tandem.coach.models import CoachTally, CoachWord
from tandem.org.models import Person


class WordError(ValueError):
    """A word HR cannot add, with the sentence that says why."""


def add_word(*, word: str, better: str, by: Person) -> CoachWord:
    """Add a word to the company's list; the coach flags it from the next keystroke."""
    require(by, "coach.words.manage")
    word = " ".join(word.split())
    if not word:
        raise WordError("Write the word to flag.")
    with transaction.atomic():
        if CoachWord.objects.filter(word__iexact=word).exists():
            raise WordError(f"“{word}” is on the list already.")
        if word.casefold() in queries.builtin_forms():
            raise WordError(f"“{word}” is on the coach's built-in list already.")
        added = CoachWord.objects.create(word=word, better=better.strip(), added_by=by)
        record(actor=by, kind="coach.word_added", obj=added, changes={"word": word})
    return added


def remove_word(*, word: CoachWord, by: Person) -> None:
    require(by, "coach.words.manage")
    with transaction.atomic():
        record(actor=by, kind="coach.word_removed", obj=word, changes={"word": word.word})
        word.delete()


def _month(today: date) -> date:
    return today.replace(day=1)


def count_submission(
    *, author: Person | None, kind: str, text: str, seen: Iterable[str] = ()
) -> dict[str, bool]:
    """Count, for HR, the suggestions a submitted text triggered or had triggered while it
    was written (`seen`, the rule ids the panel showed), and whether the final text still
    triggers each. Stores counts only, never the text. Never blocks the submission: bad
    `seen` ids are ignored. Returns {rule: changed} for the tests and the caller."""
    if kind not in KINDS:
        return {}
    final = {f.rule for f in queries.findings(text, kind)}
    known = set(queries.rule_ids())
    shown = {rule for rule in seen if rule in known}
    outcome = {rule: rule not in final for rule in shown | final}
    if not outcome:
        return outcome
    # Upward feedback is anonymous: its counts carry no department (models.CoachTally).
    department_id = None if kind == "upward" or author is None else author.department_id
    month = _month(timezone.localdate())
    for rule, changed in sorted(outcome.items()):
        _bump(department_id, kind, rule, month, changed)
    return outcome


def _bump(department_id: int | None, kind: str, rule: str, month: date, changed: bool) -> None:
    key = {"department_id": department_id, "kind": kind, "rule": rule, "month": month}
    increments = {"fired": F("fired") + 1, "changed": F("changed") + int(changed)}
    if CoachTally.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            CoachTally.objects.create(**key, fired=1, changed=int(changed))
    except IntegrityError:  # another request created the row first
        CoachTally.objects.filter(**key).update(**increments)
