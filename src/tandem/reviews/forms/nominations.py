"""Forms of the nomination pages. They parse; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.reviews.services.nominations import REASON_LIMIT

MAX_PICKED = 50  # far above any cycle's maximum; stops a form posting thousands of ids


class PeerIdsField(forms.Field):
    """A list of person ids, from repeated `name=id` fields (checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_PICKED:
            raise ValidationError(f"Choose at most {MAX_PICKED} people.")
        ids: list[int] = []
        for raw in value:
            text = str(raw).strip()
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(f"“{text[:30]}” is not a person.")
            ids.append(int(text))
        return ids


class PeersForm(forms.Form):
    """The reviewee's proposal: the peers they ticked."""

    peers = PeerIdsField(required=False, label="Peers")


class ApproveForm(forms.Form):
    """The manager's decision: as proposed, or the list they changed (`change`)."""

    peers = PeerIdsField(required=False, label="Peers")
    change = forms.BooleanField(required=False)

    def final_peers(self) -> list[int] | None:
        return self.cleaned_data["peers"] if self.cleaned_data.get("change") else None


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Find a colleague")
    peers = PeerIdsField(required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        required=False,
        strip=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_LIMIT}),
        label="Why you decline",
        help_text="The manager who approved the peers reads this and picks someone else.",
    )


class ReplaceForm(forms.Form):
    peer = PeerIdsField(required=False, label="Replacement")

    def clean_peer(self) -> int:
        picked = self.cleaned_data["peer"]
        if len(picked) != 1:
            raise ValidationError("Choose one colleague to write this peer review instead.")
        return int(picked[0])
