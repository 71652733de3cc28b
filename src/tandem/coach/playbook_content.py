"""The playbooks Tandem ships with, and the new-manager path. Loaded idempotently
(`playbooks.load_shipped`, run by migration 0003): a playbook whose slug exists is left as
HR edited it; a missing one is created. Plain data, no imports: migrations read it too."""

from __future__ import annotations

from typing import Any

PLAYBOOKS: list[dict[str, Any]] = [
    {
        "slug": "giving-feedback-sbi",
        "title": "Giving feedback with Situation–Behaviour–Impact",
        "summary": "Feedback people can act on: name the moment, what they did, and what it "
        "caused — praise and criticism alike.",
        "ordering": 10,
        "steps": [
            (
                "Pick one moment, soon",
                "Feedback works best within a few days of what happened, while both of you "
                "remember it. Pick **one** moment, not a season of them.\n\n"
                "- Do it in private if it is critical; praise can be public if the person "
                "likes that.\n"
                "- Ask first: *“Do you have five minutes for some feedback on Thursday's "
                "demo?”*",
            ),
            (
                "Situation: say when and where",
                "Anchor it so the person knows exactly what you mean.\n\n"
                "> *“In Thursday's client demo, when the export failed…”*\n\n"
                "Not *“lately”*, *“always”* or *“in general”*: those invite an argument "
                "about whether it is true.",
            ),
            (
                "Behaviour: what they did, not who they are",
                "Describe what a camera would have recorded: words said, actions taken.\n\n"
                "- Behaviour: *“you walked the client through the workaround and stayed on "
                "after the call to log the bug”*.\n"
                "- Not behaviour: *“you were great”*, *“you were abrasive”*, *“you are "
                "emotional”*. Words about personality are hard to act on, and research "
                "finds some of them are used unevenly by gender and ethnicity.",
            ),
            (
                "Impact: what it caused",
                "Say what happened because of it — for the customer, the team or you.\n\n"
                "> *“…so the client signed the same afternoon, and support had the bug "
                "before the first ticket.”*\n\n"
                "For criticism, the impact is the reason the behaviour matters: *“…so "
                "finance closed the month without your numbers.”*",
            ),
            (
                "Then listen, and agree what's next",
                "Stop talking and ask: *“How did it look from your side?”* There may be "
                "context you lack. For criticism, agree one concrete next step and when you "
                "will look at it together. Write it down in Tandem so you both remember.\n\n"
                "**A full example:** *“In Monday's planning (S), you cut off Priya twice "
                "while she was explaining the estimate (B). She stopped contributing for the "
                "rest of the meeting, and we missed the risk she raised later in chat (I). "
                "What was going on for you?”*",
            ),
        ],
        "questions": [
            (
                "Which of these is a behaviour?",
                [
                    "“You were really professional.”",
                    "“You sent the agenda a day ahead and kept us to time.”",
                    "“You are a natural leader.”",
                ],
                1,
                "A behaviour is something a camera would record. “Professional” and "
                "“natural leader” are judgements the person cannot repeat on purpose.",
            ),
            (
                "When is feedback most useful?",
                [
                    "Within a few days of the moment",
                    "Saved up for the annual review",
                    "Only when there is a problem",
                ],
                0,
                "Close to the moment both of you remember it, and the person can still "
                "change what comes next. Praise counts as much as criticism.",
            ),
            (
                "What should you do right after giving the SBI?",
                [
                    "Move on to the next topic quickly",
                    "Repeat it so it sinks in",
                    "Ask how it looked from their side and agree a next step",
                ],
                2,
                "Feedback is a conversation: their view may change yours, and an agreed "
                "next step turns it into change.",
            ),
        ],
    },
    {
        "slug": "running-a-first-one-on-one",
        "title": "Running a first 1:1",
        "summary": "Your first 1:1 with a report sets the tone: it is their meeting, about "
        "them, and it starts a rhythm.",
        "ordering": 20,
        "steps": [
            (
                "Schedule a rhythm, not a meeting",
                "Book a recurring 1:1 — 30 minutes weekly or every two weeks — in Tandem's "
                "1:1s. Protect it: moving it is fine, cancelling it tells people they matter "
                "less than everything else.",
            ),
            (
                "Share an agenda both of you add to",
                "Send a short shared agenda a day ahead and ask them to add to it. A good "
                "first agenda:\n\n"
                "1. How are you doing — at work and, if they want to share, outside it?\n"
                "2. What do you enjoy most in your work, and what drains you?\n"
                "3. How do you like to get feedback and recognition?\n"
                "4. What should I know about how you work best?\n"
                "5. What do you want from these 1:1s?",
            ),
            (
                "Listen more than you talk",
                "Aim for them speaking 70% of the time. Ask open questions (*“what”*, "
                "*“how”*), follow up on what they say, and resist solving every problem on "
                "the spot: *“What have you tried? What would help?”*",
            ),
            (
                "Tell them about you",
                "Say how you work, how to reach you, what you expect and what they can "
                "expect from you — including that you will give feedback often and want "
                "theirs. Admitting what you are still learning builds trust.",
            ),
            (
                "Close with action items",
                "End with two or three action items, each with an owner and a date, in the "
                "1:1's notes. Start the next 1:1 by checking them. Private notes stay "
                "private; shared notes are visible to both of you.",
            ),
        ],
        "questions": [
            (
                "Whose meeting is the 1:1?",
                ["Mostly the report's", "Mostly the manager's", "HR's"],
                0,
                "The 1:1 is for the report: their topics come first. Status updates belong "
                "elsewhere.",
            ),
            (
                "A report raises a problem. What is a good first response?",
                [
                    "Tell them how you would solve it",
                    "Ask what they have tried and what would help",
                    "Move it to the next meeting",
                ],
                1,
                "Asking first keeps ownership with them and tells you what help is useful.",
            ),
            (
                "How should a 1:1 end?",
                [
                    "With a rating",
                    "With nothing written, to keep it informal",
                    "With a few action items, each with an owner and a date",
                ],
                2,
                "Written action items are what make the next 1:1 build on this one.",
            ),
        ],
    },
    {
        "slug": "writing-a-fair-review",
        "title": "Writing a fair review",
        "summary": "Base the review on the whole period's evidence, check for the common "
        "biases, and write comments your report can act on.",
        "ordering": 30,
        "steps": [
            (
                "Gather the whole period's evidence first",
                "Before you rate, open the evidence panel beside the review: goals and "
                "check-ins, feedback and praise, 1:1 notes. Read the **whole** period — "
                "recency bias makes the last month weigh more than the first eleven.",
            ),
            (
                "Rate against the scale, not against people",
                "Read what each rating means for this question and pick the one the evidence "
                "supports. Do not compare your reports with each other while rating, and do "
                "not give everyone the middle to avoid a conversation.",
            ),
            (
                "Check for bias before you submit",
                "Ask yourself:\n\n"
                "- **Halo/horns:** is one great or bad moment colouring every answer?\n"
                "- **Similarity:** would I rate this the same if they worked like me?\n"
                "- **Words:** would I use this word for someone of another gender? "
                "(*abrasive, emotional, bossy* — the coach flags these.)\n"
                "- **Attribution:** did I credit luck for one person's results and skill for "
                "another's?",
            ),
            (
                "Write comments with examples",
                "Each comment should name a situation and what the person did, and say what "
                "to keep or change. *“Led the March migration: wrote the runbook, held the "
                "go/no-go, zero downtime”* beats *“great work this year”*. Do not paste the "
                "same sentence into several reports' reviews.",
            ),
            (
                "Prepare the conversation",
                "A review should hold no surprises: anything important was raised during the "
                "year. Plan how you will open, which two or three points matter most, and "
                "what support you will offer for the next period.",
            ),
        ],
        "questions": [
            (
                "What is recency bias?",
                [
                    "Letting the last weeks weigh more than the whole period",
                    "Rating new joiners lower",
                    "Reviewing too late",
                ],
                0,
                "Read the whole period's evidence — the evidence panel shows it — before you rate.",
            ),
            (
                "Which comment is more useful?",
                [
                    "“A strong year, keep it up.”",
                    "“Led the March migration: wrote the runbook and held the go/no-go; zero "
                    "downtime.”",
                ],
                1,
                "A specific example tells the person what to keep doing and shows the "
                "rating rests on evidence.",
            ),
            (
                "Should anything in the review surprise your report?",
                [
                    "Yes, it keeps reviews meaningful",
                    "No: important points are raised during the year",
                ],
                1,
                "The review summarises conversations already held; surprises erode trust.",
            ),
        ],
    },
    {
        "slug": "handling-a-rating-disagreement",
        "title": "Handling a disagreement on a rating",
        "summary": "When a report disagrees with their rating: listen, look at the evidence "
        "together, and be clear about what can still change.",
        "ordering": 40,
        "steps": [
            (
                "Expect it, and stay calm",
                "Disagreement is normal and often healthy: it means the person cares. Do not "
                "defend the rating straight away. Say: *“Thank you for telling me. Help me "
                "understand what you see differently.”*",
            ),
            (
                "Listen for the evidence",
                "Ask which goals, projects or moments they think you weighed wrongly, and "
                "write them down. Summarise what you heard before answering: *“So you feel "
                "the Q2 launch counted for less than it should have — is that right?”*",
            ),
            (
                "Walk through your reasoning",
                "Explain the rating with the evidence and the scale's definition, not with "
                "comparisons to colleagues or the distribution. If you cannot point to "
                "evidence, that is a sign to reconsider.",
            ),
            (
                "Be honest about what can change",
                "If they show evidence you missed, say you will look again and when. If the "
                "rating stands, say so clearly and kindly. If the cycle is calibrated or "
                "closed, explain the process (HR can reopen a review) rather than promising "
                "a change you cannot make.",
            ),
            (
                "Turn to the next period",
                "Agree what *“exceeds”* would look like for them next time, in concrete "
                "terms, and record it as goals or a development plan. Follow up in your next "
                "1:1. Their written disagreement can be recorded when they acknowledge the "
                "review.",
            ),
        ],
        "questions": [
            (
                "A report says their rating is unfair. Your first move?",
                [
                    "Explain why the rating is correct",
                    "Ask them what they see differently and listen",
                    "Offer to raise the rating",
                ],
                1,
                "Listening first lowers the temperature and may surface evidence you missed.",
            ),
            (
                "Which explanation is fair?",
                [
                    "“Only two people can get the top rating.”",
                    "“Your rating is about the same as Sam's.”",
                    "“The scale says ‘exceeds’ means… and here is what I saw.”",
                ],
                2,
                "Explain with the scale and the evidence about this person, never with "
                "quotas or colleagues.",
            ),
        ],
    },
    {
        "slug": "supporting-a-development-plan",
        "title": "Supporting a development plan",
        "summary": "Help a report grow: their goal, a few concrete actions, and regular "
        "check-ins — with you clearing the way.",
        "ordering": 50,
        "steps": [
            (
                "Start from their ambition",
                "Ask where they want to be in one to three years and what they enjoy. The "
                "plan is theirs: your job is to help them make it concrete and realistic, "
                "not to choose it for them.",
            ),
            (
                "Pick one or two skills to grow",
                "Agree one or two skills that matter for that ambition and for the role now. "
                "More than that and nothing moves.",
            ),
            (
                "Plan mostly by doing",
                "Most growth comes from experience, some from people, a little from courses "
                "(the *70–20–10* rule of thumb). For each skill, pick a stretch assignment, "
                "someone to learn from, and at most one course. Give each action a date.",
            ),
            (
                "Clear the way",
                "Find the time and opportunities: hand over a project, introduce a mentor, "
                "approve the budget. A plan without time set aside is a wish list.",
            ),
            (
                "Check in regularly",
                "Talk about the plan in a 1:1 at least once a month: what they tried, what "
                "they learned, what to adjust. Recognise progress out loud — praise counts.",
            ),
        ],
        "questions": [
            (
                "Who owns a development plan?",
                ["The manager", "The report, with the manager's support", "HR"],
                1,
                "It is their growth: ownership keeps them motivated; you make it possible.",
            ),
            (
                "Where does most growth come from?",
                ["Courses", "Experience on the job, like a stretch assignment", "Reading"],
                1,
                "Experience, then people, then courses — plan mostly by doing.",
            ),
            (
                "How many skills should a plan focus on at once?",
                ["One or two", "Five or more", "All the role's skills"],
                0,
                "Focus makes progress visible; too many goals and nothing moves.",
            ),
        ],
    },
]

NEW_MANAGER_PATH: dict[str, Any] = {
    "slug": "first-weeks-as-a-manager",
    "title": "Your first weeks as a manager",
    "summary": "Five short guides, in the order you will need them: meet your team, give "
    "feedback, support growth, then review fairly.",
    "playbooks": [
        "running-a-first-one-on-one",
        "giving-feedback-sbi",
        "supporting-a-development-plan",
        "writing-a-fair-review",
        "handling-a-rating-disagreement",
    ],
}
