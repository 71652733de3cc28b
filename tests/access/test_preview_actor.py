"""The preview actor ("view as"): what a person may do or see, narrowed to what the
previewing HR admin may — `can` is allowed only when both may, `scope` keeps only the rows
both may see."""

from __future__ import annotations

import pytest

from tandem.access.rules import PreviewActor, actor_for, can, preview_user, scope
from tandem.feedback.models import Feedback, Visibility
from tests.factories import PersonFactory, hr_admin
from tests.feedback.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    manager = PersonFactory()
    ana = PersonFactory(manager=manager)
    colleague = PersonFactory(manager=manager)
    return hr_admin(), ana, colleague


def test_a_preview_user_carries_the_persons_roles_and_the_previewer(people):
    hr, ana, _ = people
    user = preview_user(ana, hr)
    actor = actor_for(user)
    assert isinstance(actor, PreviewActor)
    assert actor.person.pk == ana.pk
    assert not actor.is_hr_admin
    assert actor.previewer is not None and actor.previewer.person.pk == hr.pk


def test_the_scope_keeps_only_what_both_may_see(people):
    hr, ana, colleague = people
    private = FeedbackFactory(giver=colleague, recipient=ana, visibility=Visibility.PRIVATE)
    public = FeedbackFactory(giver=colleague, recipient=ana, visibility=Visibility.PUBLIC)
    assert set(scope(ana, Feedback.objects.all())) == {private, public}
    assert set(scope(preview_user(ana, hr), Feedback.objects.all())) == {public}


def test_can_needs_both(people):
    hr, ana, colleague = people
    private = FeedbackFactory(giver=colleague, recipient=ana, visibility=Visibility.PRIVATE)
    assert can(ana, "feedback.view", private)
    assert not can(preview_user(ana, hr), "feedback.view", private)
    # HR may do what Ana may not; the preview may not either.
    assert can(hr, "program.edit")
    assert not can(preview_user(ana, hr), "program.edit")
