"""The guided set-up: the program designed step by step, each step saved as it is done.

Seven steps, in order: why (what the process is for, in the company's words), the company's
values, a starting preset, the calendar and rhythm, visibility and anonymity, people, and a
review of the program page every employee will read, with Finish. Every step saves through
the program's (or the org's) services, so each is validated, audited and listed in the
program's history; `ProgramSetup.steps_done` remembers which steps were saved, so the next
visit resumes at the first step not done yet.

Every choice a step offers comes with its trade-off in one or two plain sentences
(`TRADE_OFFS`, `PURPOSE_TRADE_OFFS`): a test keeps one for each field a step shows.

The first HR admin of a fresh installation (no program saved yet, no change recorded, nobody
in Tandem but HR admins) lands here after signing in (`landing`, registered in
`program/apps.py`); any HR admin lands here again while a started set-up is not finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from tandem.access.models import Role
from tandem.access.rules import actor_for
from tandem.org.models import Person
from tandem.program.models import Program, ProgramChange, ProgramSetup, Purpose


@dataclass(frozen=True)
class Step:
    key: str
    short: str  # in the progress list
    title: str  # the step's heading


STEPS: tuple[Step, ...] = (
    Step("why", "Why", "Why we do performance management"),
    Step("values", "Values", "The values we live by"),
    Step("preset", "Starting point", "Choose a starting point"),
    Step("calendar", "Calendar", "The calendar and the rhythm"),
    Step("visibility", "Visibility", "Who sees what, and anonymity"),
    Step("people", "People", "Bring in your people"),
    Step("review", "Review", "Read the program page and finish"),
)
STEP_KEYS = tuple(step.key for step in STEPS)
# The steps that must be done before Finish: every one but the review itself.
REQUIRED_BEFORE_FINISH = STEP_KEYS[:-1]

# The program's fields each step sets, in the order the step shows them. A test keeps every
# field of the editor in exactly one step or in `EDITOR_ONLY`.
WHY_FIELDS = ("purposes", "purpose_statement")
CALENDAR_FIELDS = (
    "fiscal_year_start_month",
    "review_months",
    "goal_period_length",
    "checkin_cadence",
    "one_on_one_cadence",
    "review_ratings_enabled",
    "review_score",
    "review_peers_enabled",
    "review_upward_enabled",
    "review_phase_days",
    "review_reminder_days_before",
)
VISIBILITY_FIELDS = (
    "anonymity_minimum",
    "private_goals_allowed",
    "feedback_private_allowed",
    "feedback_with_manager_allowed",
    "praise_public_allowed",
    "hr_reads_private_feedback",
    "upward_feedback_enabled",
    "hr_reads_upward_reviews",
    "review_peer_names_hidden",
    "calibration_shown_to_employee",
    "development_plans_visible_to_hr",
)
# The switches no step shows, each with why it can wait for the editor (/program/edit/):
# every preset sets them, so a set-up that chose a starting point has a sensible value.
EDITOR_ONLY = {
    "goal_scoring_scale": "How key results are scored (0 to 1, per cent or 1 to 5) is a "
    "matter of taste that changes nothing else; every preset sets one.",
    "checkin_reminder_weekday": "A detail of the check-in rhythm step 4 sets; the reminder "
    "comes on Friday unless you pick another day.",
    "upward_feedback_window_days": "A refinement of the upward feedback step 5 switches on: "
    "how long one batch gathers before the manager reads it; the preset's window suits most.",
    "promotion_self_nomination": "Promotions come with career frameworks and promotion "
    "windows, set up after the program; decide it when you open the first window.",
}

PURPOSE_TRADE_OFFS = {
    Purpose.GROWTH: "People write more openly when they know it helps them grow; on its own it "
    "gives little to base pay or promotion decisions on.",
    Purpose.ACCOUNTABILITY: "Everyone knows what they are expected to deliver; people may set "
    "safer goals if missing one counts against them.",
    Purpose.PROMOTION: "Promotions rest on a written record rather than on who speaks loudest; "
    "people will write and read reviews with promotion in mind.",
    Purpose.PAY: "Pay decisions become explainable; people are less candid about their own "
    "weaknesses when pay depends on what they write.",
}

TRADE_OFFS = {
    "purpose_statement": "Shown first on the program page. A few honest sentences do more than "
    "a policy: people judge the process by whether it matches what you wrote here.",
    "values": "Praise is tied to these values, and reviews can point to them. Fewer values are "
    "easier to remember; with none, praise is just thanks.",
    "fiscal_year_start_month": "Goal periods are counted from this month. Match your financial "
    "year so goals line up with budgets; January is simplest if you have no reason to differ.",
    "review_months": "Fixed months let everyone plan around reviews and compare like with "
    "like; twice a year keeps feedback fresh, once a year costs managers less time. None: "
    "cycles are opened when needed, which is flexible but easy to let slip.",
    "goal_period_length": "Quarters keep goals fresh and easy to change; halves or years suit "
    "long projects but make goals go stale between reviews.",
    "checkin_cadence": "Weekly check-ins catch problems early but take a few minutes every "
    "week; every two weeks is lighter; off leaves goals unchecked until the review.",
    "one_on_one_cadence": "Weekly 1:1s build trust and catch issues early but cost managers "
    "the most time; monthly is light but problems wait longer.",
    "review_ratings_enabled": "On: reviews carry ratings that can be compared and calibrated, "
    "which pay and promotion decisions need. Off: reviews are written answers only, people "
    "focus on the words, and there is nothing to compare across teams.",
    "review_score": "The manager's rating is simple and easy to explain. The weighted "
    "score also counts goals and competencies, which is harder to dispute but only as good "
    "as the goals set; it applies only when reviews use rating scales.",
    "review_peers_enabled": "On: colleagues add what a manager does not see, which makes "
    "reviews fairer; each peer review costs someone an hour, so a cycle takes more time.",
    "review_upward_enabled": "On: managers learn, anonymously, how their team sees them; "
    "answers are shown only once enough people answered, so small teams may see nothing.",
    "review_phase_days": "Each of a cycle's six steps (self review to sharing) lasts this "
    "long. Longer steps leave time to write with care; shorter ones keep a cycle to a few "
    "weeks, so what is written is still fresh. 14 suits most.",
    "review_reminder_days_before": "More days give people time to plan their writing; too "
    "early and the reminder is forgotten by the deadline.",
    "anonymity_minimum": "Group results are hidden until this many people answered. Higher "
    "protects people better but hides results of small teams; it can never go below 3.",
    "private_goals_allowed": "On: people can keep sensitive goals (a health or career goal) to "
    "their managers and HR. Off: every goal is open, so everyone sees how work connects.",
    "feedback_private_allowed": "On: people can tell a colleague something only they read, "
    "which makes hard feedback easier to give; managers do not see it.",
    "feedback_with_manager_allowed": "On: the recipient's manager reads it too, so it can feed "
    "coaching and reviews; some people will soften what they write.",
    "praise_public_allowed": "On: praise appears on the company feed, which spreads "
    "recognition; people who dislike attention may prefer it private.",
    "hr_reads_private_feedback": "Off keeps private feedback private, which people trust. On "
    "lets HR step in on harassment or misconduct, and everyone is told.",
    "upward_feedback_enabled": "On: people can tell their manager, anonymously, how they are "
    "doing; managers see it only in batches, so small teams may wait a long time.",
    "hr_reads_upward_reviews": "Off: HR reads upward reviews only as grouped answers, which "
    "keeps writers safe. On: HR can follow up on one review, and writers may hold back.",
    "review_peer_names_hidden": "On: peers write more candidly when the person reviewed "
    "cannot tell who wrote what. Off: the person can follow up with a peer, and peers write "
    "more carefully knowing they are named.",
    "calibration_shown_to_employee": "On: people see when and why calibration changed their "
    "rating, which builds trust; managers must be ready to explain every change.",
    "development_plans_visible_to_hr": "Off: plans stay between a person and their managers, "
    "so people write freely. On: HR can spot where support is needed across teams.",
}


def progress(setup: ProgramSetup, current: str) -> list[dict[str, Any]]:
    """Each step with its state for the progress list: done, current or to do."""
    done = set(setup.steps_done or [])
    return [
        {
            "step": step,
            "number": number,
            "url": reverse("program:setup_step", args=[step.key]),
            "current": step.key == current,
            "done": step.key in done,
        }
        for number, step in enumerate(STEPS, start=1)
    ]


def first_unfinished(setup: ProgramSetup) -> str:
    """Where a visit resumes: the first step not saved yet (the review when all are)."""
    done = set(setup.steps_done or [])
    return next((key for key in STEP_KEYS if key not in done), STEPS[-1].key)


def neighbours(key: str) -> tuple[Step | None, Step | None]:
    """The step before and the step after `key` (None at either end)."""
    index = STEP_KEYS.index(key)
    before = STEPS[index - 1] if index > 0 else None
    after = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return before, after


def step_for(key: str) -> Step | None:
    return next((step for step in STEPS if step.key == key), None)


def preset_values(values: Mapping[str, Any], setup: ProgramSetup) -> dict[str, Any]:
    """What choosing a preset in the set-up sets: the preset's values, except what the
    results are used for once step 1 has said it (the company's own answer wins)."""
    chosen = dict(values)
    if "why" in (setup.steps_done or []):
        chosen.pop("purposes", None)
    return chosen


def is_fresh() -> bool:
    """A fresh installation: nobody has saved the program, and nobody is in Tandem but its
    HR admins (`tandem createadmin` on an empty database)."""
    if Program.objects.exists() or ProgramChange.objects.exists():
        return False
    return not Person.objects.exclude(role_grants__role=Role.HR_ADMIN).exists()


def is_pending() -> bool:
    """HR admins land on the set-up after signing in: while a started set-up is not
    finished, or on a fresh installation where it was never started."""
    setup = ProgramSetup.objects.filter(pk=1).only("completed_at").first()
    if setup is not None:
        return setup.completed_at is None
    return is_fresh()


def landing(user: Any) -> str | None:
    """After sign-in: HR admins go to the set-up while it is pending (access/landing.py)."""
    actor = actor_for(user)
    if actor is None or not actor.is_hr_admin or not is_pending():
        return None
    return reverse("program:setup")
