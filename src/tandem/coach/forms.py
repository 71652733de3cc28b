"""The coach's forms."""

from __future__ import annotations

from django import forms

from tandem.coach.checks import KIND_LABELS

PERIODS = (("1", "This month"), ("3", "Last 3 months"), ("12", "Last 12 months"))


class PanelForm(forms.Form):
    """What the panel sends while someone writes: which field holds the text and what kind
    of text it is. The coach reads the text to answer and keeps nothing of it."""

    kind = forms.ChoiceField(choices=list(KIND_LABELS.items()))
    field = forms.RegexField(regex=r"^[\w-]{1,80}$", max_length=80)
    ref = forms.RegexField(regex=r"^[\w:-]{0,40}$", max_length=40, required=False)


class CoachWordForm(forms.Form):
    """A word HR asks writers to avoid. Read by everyone's coach panel (the word and the
    better phrasing are shown to writers who use it); used for nothing else."""

    word = forms.CharField(
        max_length=60,
        help_text="One word or a hyphenated word, flagged when used of a person.",
    )
    better = forms.CharField(
        max_length=300,
        required=False,
        label="A better phrasing",
        help_text="An example the coach shows instead, e.g. “In Monday's review you …”.",
        widget=forms.TextInput,
    )

    def clean_word(self) -> str:
        word = " ".join(self.cleaned_data["word"].split())
        if not word or any(not (ch.isalpha() or ch in "-'’ ") for ch in word):
            raise forms.ValidationError("Write a word: letters, hyphens and apostrophes only.")
        return word


class PeriodForm(forms.Form):
    """Which months the counts cover."""

    months = forms.ChoiceField(choices=PERIODS, required=False, label="Period")
