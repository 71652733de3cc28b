"""Competency questions that draw their items from each reviewee's career framework.

A competency question whose `items_source` is "framework" lists no competencies of its own:
at launch every participant gets a snapshot of their track and level, {"track",
"track_name", "level", "level_title", "version", "items": [{"key", "name",
"description"}]}, the description being what the level expects, and their reviews rate
those items. The snapshot never changes after, so editing the framework later never
rewrites what a past review measured against.

Snapshots are stored once, not per participant: a `FrameworkSnapshot` row holds the
content and the SHA-256 of its canonical JSON (unique), and `Participant.framework_snapshot`
references it. Everyone on the same track, level and framework version, in this cycle and
the next, shares one row (a few dozen rows, not 100,000 copies a cycle).
`Participant.framework` reads the content ({} without a snapshot); readers select_related
`framework_snapshot` (or `participant__framework_snapshot`) so it costs no query.

Reviews knows nothing of career frameworks: the feature that keeps them (growth) registers
a provider here from its `AppConfig.ready()`. A provider takes person ids and answers
`[(snapshot, [person ids]), …]` — one snapshot per track and level, so a launch of 100,000
people stores or finds each snapshot row once per batch and points its participants at it
with a few bulk UPDATEs, not one per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tandem.reviews import versions
from tandem.reviews.models import (
    FrameworkSnapshot,
    ItemsSource,
    Participant,
    QuestionKind,
    Review,
)

Snapshot = dict[str, Any]
Provider = Callable[[Sequence[int]], Iterable[tuple[Snapshot, Sequence[int]]]]

_PROVIDERS: list[Provider] = []
# Rows per UPDATE … WHERE person_id IN (…): well below SQLite's parameter limit.
CHUNK = 900


def register_snapshot_provider(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def is_framework_question(question: Mapping[str, Any]) -> bool:
    return (
        question.get("kind") == QuestionKind.COMPETENCIES
        and question.get("items_source") == ItemsSource.FRAMEWORK
    )


def uses_framework(content: Mapping[str, Any]) -> bool:
    return any(is_framework_question(q) for q in versions.questions(dict(content)))


def snapshots(person_ids: Sequence[int]) -> list[tuple[Snapshot, Sequence[int]]]:
    """Every registered provider's snapshots for these people (none: no framework app)."""
    return [found for provider in _PROVIDERS for found in provider(person_ids)]


def stored(snapshot: Snapshot) -> FrameworkSnapshot:
    """The one row holding this snapshot's content, made the first time it is seen."""
    row, _ = FrameworkSnapshot.objects.get_or_create(
        digest=FrameworkSnapshot.digest_of(snapshot), defaults={"content": snapshot}
    )
    return row


def snapshot_participants(cycle_id: int, person_ids: Sequence[int]) -> None:
    """Point these people's participants in the cycle at their framework snapshot's row:
    one get-or-create per snapshot, then one UPDATE per snapshot and chunk of people."""
    for snapshot, ids in snapshots(person_ids):
        row = stored(snapshot)
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            Participant.objects.filter(
                cycle_id=cycle_id, person_id__in=ids[start : start + CHUNK]
            ).update(framework_snapshot=row)


def effective_content(
    content: dict[str, Any], snapshot: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The frozen content as one participant's reviews ask it: framework questions carry the
    participant's snapshot items (none when the person had no framework at launch). Content
    without such a question is returned as it is."""
    if not uses_framework(content):
        return content
    items = list((snapshot or {}).get("items") or [])
    sections = []
    for section in content.get("sections", []):
        questions = [
            {**question, "items": items} if is_framework_question(question) else question
            for question in section.get("questions", [])
        ]
        sections.append({**section, "questions": questions})
    return {**content, "sections": sections}


def content_of(review: Review) -> dict[str, Any]:
    """The review's questions as its writer answers them (see `effective_content`)."""
    content = review.template_version.content
    if not uses_framework(content):
        return content
    return effective_content(content, review.participant.framework)
