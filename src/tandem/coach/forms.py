"""The coach's forms."""

from __future__ import annotations

from typing import Any

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


# --- Playbooks ----------------------------------------------------------------------------


class PlaybookForm(forms.Form):
    """A playbook's title and summary, as HR edits them. Read by everyone signed in (the
    playbooks page and each playbook's page)."""

    title = forms.CharField(max_length=120)
    summary = forms.CharField(
        max_length=300, help_text="One sentence: what the reader will be able to do."
    )


class StepForm(forms.Form):
    """One step: read by everyone who opens the playbook. The text is Markdown (bold,
    italics, lists, quotes, links); HTML is not allowed and shows as typed."""

    title = forms.CharField(max_length=120, required=False, label="Step title")
    body = forms.CharField(
        max_length=4000,
        required=False,
        label="Text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class QuestionForm(forms.Form):
    """One quiz question: read by everyone who opens the playbook; the explanation is
    shown once they have answered."""

    prompt = forms.CharField(max_length=300, required=False, label="Question")
    choices = forms.CharField(
        required=False,
        label="Choices, one per line",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="2 to 5 choices.",
    )
    answer = forms.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        label="Number of the right choice",
        help_text="1 for the first line, 2 for the second, …",
    )
    explanation = forms.CharField(
        max_length=600, required=False, label="Explanation shown after answering"
    )

    def choice_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("choices", "").splitlines()
            if line.strip()
        ]


StepFormSet = forms.formset_factory(StepForm, extra=1, max_num=6, absolute_max=6)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, max_num=4, absolute_max=4)


def quiz_answers(data: Any, positions: list[int]) -> dict[int, int | None]:
    """The choice picked for each question (`q<position>` = the choice's index), None where
    nothing valid was picked: an unanswered question counts as wrong, never as an error."""
    answers: dict[int, int | None] = {}
    for position in positions:
        raw = data.get(f"q{position}", "")
        answers[position] = int(raw) if raw.isdigit() and len(raw) < 3 else None
    return answers
