"""Overall scores and self-versus-manager gaps (filled in by the running area)."""

from __future__ import annotations

from tandem.reviews.models import Participant


def refresh_participant(participant: Participant) -> None:
    """Recompute the participant's overall score from submitted ratings. Called after every
    submit or reopen of a review about them."""
