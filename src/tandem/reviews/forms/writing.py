"""Forms of the review pages.

The answers form is generated from the frozen template, so it is parsed here into the
answers format (`answers_from_post`) and checked by `reviews.answers` in the service; only
fields named after the template's questions are read (no mass assignment). Field names:
"<question>-rating", "<question>-comment", "<question>-<item>-rating",
"<question>-<item>-comment".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import forms

from tandem.reviews.answers import ITEM_KINDS, item_keys
from tandem.reviews.services.sharing import ACK_COMMENT_MAX, REASON_MAX
from tandem.reviews.versions import questions


def _has_prefix(data: Mapping[str, Any], prefix: str) -> bool:
    return any(name.startswith(prefix) for name in data)


def answers_from_post(
    data: Mapping[str, Any], content: Mapping[str, Any], *, goal_keys: Collection[str] = ()
) -> dict[str, Any]:
    """The answers the form sent, question by question (a question with none of its fields
    in the request is left out, so a partial autosave keeps the rest)."""
    raw: dict[str, Any] = {}
    for question in questions(dict(content)):
        key = question["key"]
        if not _has_prefix(data, f"{key}-"):
            continue
        answer: dict[str, Any] = {"comment": data.get(f"{key}-comment", "")}
        if question["kind"] in ITEM_KINDS:
            items: dict[str, Any] = {}
            for item in item_keys(question, goal_keys):
                prefix = f"{key}-{item}-"
                if _has_prefix(data, prefix):
                    items[item] = {
                        "rating": data.get(f"{prefix}rating") or None,
                        "comment": data.get(f"{prefix}comment", ""),
                    }
            answer["items"] = items
        elif f"{key}-rating" in data:
            answer["rating"] = data.get(f"{key}-rating") or None
        raw[key] = answer
    return raw


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=2**31)
    active_seconds = forms.IntegerField(min_value=0, max_value=86_400, required=False)
    confirm = forms.BooleanField(required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen this review",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reviewer reads this reason; it is kept in the audit log.",
    )


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label="Your comment (optional)",
        required=False,
        max_length=ACK_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your manager and HR read it with your review.",
    )
