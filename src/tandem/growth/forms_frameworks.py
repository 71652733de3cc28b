"""Forms of the framework pages. Who reads what is typed here: everyone signed in, on the
framework pages (tracks, levels, competencies and expectations are public to the company).
Level placements are seen by whoever may see the person."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.growth.framework_files import LIMITS
from tandem.growth.models import Level, Track

MARKDOWN_HELP = "Markdown: **bold**, *italics*, lists, [links](https://…). HTML is shown as typed."


class TrackForm(forms.Form):
    key = forms.SlugField(
        max_length=LIMITS["key"],
        help_text="A short name for files and the API, e.g. engineering-ic. It cannot change "
        "later.",
    )
    name = forms.CharField(max_length=LIMITS["name"])
    description = forms.CharField(
        max_length=LIMITS["description"], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, editing: Track | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing is not None:
            del self.fields["key"]
            self.fields["archived"] = forms.BooleanField(
                required=False,
                label="Archived",
                help_text="Archived tracks are hidden from everyone but HR; placements stay.",
            )


class LevelForm(forms.Form):
    code = forms.CharField(max_length=LIMITS["code"], help_text="e.g. IC3")
    title = forms.CharField(max_length=LIMITS["title"], help_text="e.g. Senior engineer")
    summary = forms.CharField(
        max_length=LIMITS["summary"], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.CharField(
        label="Typical scope",
        max_length=LIMITS["scope"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompetencyForm(forms.Form):
    key = forms.SlugField(max_length=LIMITS["key"], help_text="e.g. code-quality")
    name = forms.CharField(max_length=LIMITS["name"])
    group = forms.CharField(
        max_length=LIMITS["group"], required=False, help_text="e.g. Craft, Collaboration"
    )
    description = forms.CharField(
        max_length=LIMITS["description"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, levels: list[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[f"level_{level.pk}"] = forms.CharField(
                label=f"What meets looks like at {level.code} ({level.title})",
                max_length=LIMITS["expectation"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=MARKDOWN_HELP if level is levels[0] else "",
            )

    def expectation_fields(self) -> list[forms.BoundField]:
        return [self[f"level_{level.pk}"] for level in self.levels]

    def expectations(self) -> dict[int, str]:
        return {level.pk: self.cleaned_data.get(f"level_{level.pk}", "") for level in self.levels}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Framework file (YAML or JSON)",
        help_text="Tracks are matched by key, levels by code and competencies by key: importing "
        "the same file twice changes nothing.",
    )


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.track.name}: {obj.code} {obj.title}"


def _levels() -> Any:
    return (
        Level.objects.select_related("track")
        .filter(track__archived_at=None)
        .order_by("track__position", "track__name", "position", "id")
    )


class MapLabelForm(forms.Form):
    label = forms.CharField(max_length=50, widget=forms.HiddenInput)
    level = LevelChoiceField(queryset=Level.objects.none(), label="Framework level")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = _levels()  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    level = LevelChoiceField(queryset=Level.objects.none(), label="Track and level")
    since = forms.DateField(
        label="On this level since",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the person reached this level (today when left empty).",
        required=False,
    )
    reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the person's level history, which they and their managers read.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = _levels()  # type: ignore[attr-defined]
