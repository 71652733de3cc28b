"""The coach's pages, one module per room: `writing` (the panel beside a text, HR's counts
and words) and `playbooks` (reading guides, HR editing them and following completion)."""

from tandem.coach.views.writing import add_word, months_back, panel, remove_word, stats

__all__ = ["add_word", "months_back", "panel", "remove_word", "stats"]
