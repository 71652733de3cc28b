"""What the demo company's reviews say: the rating scales, the four templates and the
sentences reviewers write, by question and by how well things went.

Sentences take `{name}` (the reviewee's first name), `{goal}` (one of their goal titles)
and `{manager}` (the manager's first name) where it makes sense; the demo joins two or
three of them per answer, so a few dozen per question give thousands of distinct answers.
"""

from __future__ import annotations

PERFORMANCE_SCALE = (
    "Performance",
    "How well someone met the expectations of their role in the period.",
    (
        (
            "Not meeting expectations",
            "Results and ways of working fell clearly short of the role; a plan is needed.",
        ),
        (
            "Partly meeting expectations",
            "Some expectations met, others not yet; needs support in specific areas.",
        ),
        (
            "Meeting expectations",
            "Solid, reliable work that fully meets what the role asks for.",
        ),
        (
            "Exceeding expectations",
            "Regularly goes beyond the role, with impact noticed outside the team.",
        ),
        (
            "Outstanding",
            "Exceptional results and a model for others; rare by design.",
        ),
    ),
)
COMPETENCY_SCALE = (
    "Competency",
    "How far someone has grown in a skill, compared with their level.",
    (
        ("Learning", "Still learning this skill; needs guidance on most tasks."),
        ("Developing", "Applies the skill with some guidance; gaps remain."),
        ("Proficient", "Applies the skill independently and well at their level."),
        ("Role model", "Others learn this skill from them."),
    ),
)

# (relationship, name, description, sections); a section is (title, description,
# questions); a question is (kind, prompt, help text, scale, required, is_overall, pool).
# `scale` is "performance", "competency" or None; `pool` names the sentences an answer
# draws from.
Question = tuple[str, str, str, str | None, bool, bool, str]
TEMPLATES: tuple[tuple[str, str, str, tuple[tuple[str, str, tuple[Question, ...]], ...]], ...] = (
    (
        "self",
        "Self review",
        "Look back on your period in your own words before your manager writes theirs.",
        (
            (
                "Looking back",
                "",
                (
                    (
                        "rating",
                        "Overall, how did your period go?",
                        "Rate against what your role expects, not against your best day.",
                        "performance",
                        True,
                        False,
                        "self_rating",
                    ),
                    (
                        "text",
                        "What are you most proud of?",
                        "Link the goals, feedback or 1:1 notes that show it.",
                        None,
                        True,
                        False,
                        "self_proud",
                    ),
                    (
                        "text",
                        "What would you do differently?",
                        "",
                        None,
                        False,
                        False,
                        "self_change",
                    ),
                ),
            ),
            (
                "Goals and skills",
                "",
                (
                    (
                        "goals",
                        "How did each of your goals go?",
                        "",
                        "performance",
                        True,
                        False,
                        "goal",
                    ),
                    (
                        "competencies",
                        "Where are you in each competency?",
                        "",
                        "competency",
                        True,
                        False,
                        "",
                    ),
                    (
                        "text",
                        "What do you want to learn or take on next?",
                        "",
                        None,
                        True,
                        False,
                        "self_growth",
                    ),
                ),
            ),
        ),
    ),
    (
        "manager",
        "Manager review",
        "Your assessment of your report's period, written from the evidence.",
        (
            (
                "Results",
                "What was achieved against the goals of the period.",
                (
                    (
                        "goals",
                        "How did each goal go?",
                        "Use the goal's score and check-ins; say what drove the result.",
                        "performance",
                        True,
                        False,
                        "goal",
                    ),
                    (
                        "text",
                        "What were their most important contributions?",
                        "",
                        None,
                        True,
                        False,
                        "manager_contribution",
                    ),
                ),
            ),
            (
                "How they work",
                "",
                (
                    (
                        "competencies",
                        "Rate each competency for their level.",
                        "",
                        "competency",
                        True,
                        False,
                        "",
                    ),
                    (
                        "values",
                        "How do they live our values?",
                        "Rate the values you have seen in action; add an example where you can.",
                        "competency",
                        False,
                        False,
                        "",
                    ),
                ),
            ),
            (
                "Growth and overall",
                "",
                (
                    (
                        "text",
                        "What should they focus on next period?",
                        "",
                        None,
                        True,
                        False,
                        "manager_focus",
                    ),
                    (
                        "rating",
                        "Overall rating",
                        "This is the rating the cycle's score uses.",
                        "performance",
                        True,
                        True,
                        "manager_rating",
                    ),
                ),
            ),
        ),
    ),
    (
        "peer",
        "Peer review",
        "Help a colleague grow: be specific, be kind, be honest.",
        (
            (
                "Working together",
                "",
                (
                    (
                        "text",
                        "What does this colleague do especially well?",
                        "",
                        None,
                        True,
                        False,
                        "peer_strength",
                    ),
                    (
                        "text",
                        "What could they do more of, or differently?",
                        "",
                        None,
                        True,
                        False,
                        "peer_improve",
                    ),
                    (
                        "rating",
                        "How effective is working with them?",
                        "",
                        "performance",
                        True,
                        False,
                        "peer_rating",
                    ),
                ),
            ),
        ),
    ),
    (
        "upward",
        "Upward review",
        "Tell your manager how their management works for you. Your manager reads this "
        "with your name hidden.",
        (
            (
                "Your manager",
                "",
                (
                    (
                        "rating",
                        "How well does your manager support your work and growth?",
                        "",
                        "performance",
                        True,
                        False,
                        "upward_rating",
                    ),
                    (
                        "text",
                        "What should your manager keep doing?",
                        "",
                        None,
                        True,
                        False,
                        "upward_keep",
                    ),
                    (
                        "text",
                        "What should your manager change?",
                        "",
                        None,
                        False,
                        False,
                        "upward_change",
                    ),
                ),
            ),
        ),
    ),
)

SENTENCES: dict[str, tuple[str, ...]] = {
    "self_proud": (
        "I am proudest of “{goal}”: it was the hardest thing I took on this period.",
        "Getting “{goal}” over the line while covering for a colleague on leave.",
        "I took the on-call rotation from painful to boring, and the incident count shows it.",
        "I mentored our newest colleague through their first release; they now run it alone.",
        "I wrote the onboarding guide for our area, and two new joiners used it without help.",
        "I said no to two side projects so that “{goal}” got my best hours.",
        "I ran the customer interviews myself and changed our plan on what we heard.",
        "I kept my weekly check-ins going all period, which made the end-of-period review easy.",
        "I learned the billing domain from scratch and can now answer most questions on it.",
        "I turned a late, messy handover into a clean plan that the team could follow.",
        "I asked for feedback earlier than usual, and it saved me from a wrong direction.",
        "I presented our results at the all-hands, which I had never done before.",
        "I made the dashboards for “{goal}” that the whole department now uses.",
        "I closed the backlog of support escalations that had been open since spring.",
        "Shipping “{goal}” on time, with the quality bar we agreed at the start.",
        "I simplified our weekly reporting so it takes half an hour instead of half a day.",
        "I picked up work from another team when they were short, without dropping my own.",
        "I kept calm during the outage in the summer and kept customers informed every hour.",
        "I documented the decisions behind “{goal}” so nobody has to rediscover them.",
        "I built a better working relationship with the sales team than we had a year ago.",
    ),
    "self_change": (
        "I would raise risks earlier; I sat on a delay for two weeks hoping to recover it.",
        "I said yes to too many requests and should have agreed priorities with my manager.",
        "I would write the plan down before starting, not halfway through.",
        "I would ask for help sooner instead of trying to solve everything on my own.",
        "I underestimated “{goal}” and should have cut the scope in the first month.",
        "I would protect focus time; my calendar was full of meetings I did not need.",
        "I would share drafts earlier, even when they feel rough.",
        "I should have pushed back on the deadline when the requirements changed.",
        "I would spend more time with customers and less time guessing what they need.",
        "I would give feedback to colleagues when it happens, not save it for later.",
        "I would check in on my goals every week rather than only when something went wrong.",
        "I would hand over more of the routine work so I can grow into bigger problems.",
        "I would be clearer in writing about what is done and what is not.",
        "I should have celebrated the team's wins more visibly.",
        "I would take my full holidays; I was tired by the end of the period.",
    ),
    "self_growth": (
        "I want to lead a project end to end, from the first customer call to the launch.",
        "I would like to mentor someone who has just joined.",
        "I want to get better at presenting to senior leaders.",
        "I want to learn more about our data so I can back my proposals with numbers.",
        "I would like to spend a few weeks with the support team to understand customers better.",
        "I want to grow towards the next level and would like a clear list of what it takes.",
        "I want to deepen my technical skills in the area I work in every day.",
        "I would like to take on more of the planning for our team.",
        "I want to practise giving difficult feedback well.",
        "I would like to run one of our cross-team rituals next period.",
        "I want to improve how I estimate work, and track my estimates against reality.",
        "I want to learn how other teams solve the same problems, maybe through a rotation.",
        "I would like a course on negotiation; I use it more than I expected.",
        "I want to write more: design notes, guides and the occasional blog post.",
        "I want to become the person others come to for questions about our product area.",
    ),
    "manager_contribution": (
        "{name} delivered “{goal}” with very little direction from me.",
        "{name} was the steady hand in the team during a period of many changes.",
        "{name} turned customer complaints about “{goal}” into a clear list of fixes.",
        "{name} took over a struggling project and brought it back on track within a month.",
        "{name} mentored two newer colleagues, and both are now working independently.",
        "The quality of {name}'s work is consistently high; I rarely have to check it.",
        "{name} made our weekly planning shorter and more useful for everyone.",
        "{name} built strong relationships with the teams we depend on.",
        "{name} spoke up early when “{goal}” was at risk, which gave us time to react.",
        "{name} documented the way we work, which made onboarding much easier.",
        "{name} handled the busiest weeks of the period without losing sight of the details.",
        "{name} proposed and ran an experiment that changed how we prioritise.",
        "{name} closed the long tail of small problems nobody else wanted to touch.",
        "{name}'s written updates are the clearest in the team.",
        "{name} helped another team hit their deadline while keeping their own work moving.",
        "{name} represented the team well in front of customers and leadership.",
        "{name} kept “{goal}” moving even when priorities shifted twice.",
        "{name} brought data to every decision and changed my mind more than once.",
        "{name} grew visibly this period, especially in how they plan their work.",
        "{name} stepped up as the go-to person for questions about our product area.",
    ),
    "manager_focus": (
        "Next period I would like {name} to take the lead on a project of their own.",
        "{name} should share work earlier; drafts are welcome and save time.",
        "Focus on fewer things at once: two finished goals beat four half-done ones.",
        "{name} should raise risks as soon as they see them, even without a solution.",
        "I would like {name} to mentor a newer colleague.",
        "Work on presenting to senior audiences: shorter, the conclusion first.",
        "{name} should spend more time with customers to sharpen priorities.",
        "Delegate more of the routine work, so there is room to grow.",
        "{name} should push back when scope grows without a change of deadline.",
        "Build the relationship with the teams we depend on before we need them.",
        "Keep the weekly check-ins going; they make planning much easier.",
        "{name} is ready for more: we will look at the next level together.",
        "Get more comfortable giving candid feedback to peers.",
        "Take time to learn the parts of the product outside your team.",
        "Write down decisions and their reasons so the team can build on them.",
    ),
    "peer_strength": (
        "{name} is always willing to help, even when it is not their job.",
        "{name} explains complicated things simply; I learn something every time.",
        "{name} is calm under pressure and makes the whole room calmer.",
        "{name}'s work is careful and thorough; I trust it without checking.",
        "{name} keeps everyone informed, so there are no surprises.",
        "{name} gives honest feedback with kindness.",
        "{name} follows through on every commitment they make.",
        "{name} asks the questions that change the direction of a discussion.",
        "{name} makes new people feel welcome from their first day.",
        "{name} shares credit generously.",
        "{name} brings the customer's view into every conversation.",
        "{name} writes the best documentation in our area.",
        "{name} is great at untangling a problem into small steps.",
        "{name} is responsive: questions get answered the same day.",
        "{name} stays positive when plans change and helps others adapt.",
        "Working with {name} on our shared project was the highlight of my period.",
        "{name} brings energy to meetings and keeps them focused.",
        "{name} knows when to ask for help and when to push on.",
        "{name} connects people across teams who should be talking to each other.",
        "{name} makes careful decisions and explains the trade-offs.",
    ),
    "peer_improve": (
        "I would love to hear {name}'s ideas in meetings more often; they are usually right.",
        "{name} could say no more often; they take on too much and it shows at the end.",
        "Sharing work in progress earlier would help us give input in time.",
        "Sometimes decisions are made in private chats; writing them down would help.",
        "{name} could delegate more and trust the team with the details.",
        "Updates could be shorter: the conclusion first, then the detail.",
        "{name} could involve the other teams earlier when plans change.",
        "It would help if {name} flagged delays as soon as they appear.",
        "{name} could take more time to explain the why behind requests.",
        "I would like {name} to push back more when a deadline is not realistic.",
        "{name} could give more direct feedback; I would welcome it.",
        "Meetings {name} runs sometimes overrun; an agenda would help.",
        "{name} could celebrate their own work more; few people know what they did.",
        "Handovers could be more complete; a short written note would save questions.",
        "Nothing major: keep doing what you are doing.",
    ),
    "upward_keep": (
        "Keep protecting our 1:1s; they are the most useful half hour of my week.",
        "Keep explaining the why behind priorities; it makes the work meaningful.",
        "Keep giving feedback quickly and in private.",
        "Keep shielding the team from noise so we can focus.",
        "Keep celebrating small wins in the team channel.",
        "Keep trusting us with decisions in our own area.",
        "Keep being available when things go wrong.",
        "Keep the weekly planning short and focused.",
        "Keep sharing what you hear from leadership, even when it is unfinished.",
        "Keep asking how we are doing, not just what we are doing.",
        "Keep supporting our learning time; it pays off.",
        "Keep being honest when you do not know the answer.",
    ),
    "upward_change": (
        "Our 1:1s get moved quite often; I would like them to be more protected.",
        "Decisions sometimes change after we have started; please tell us why.",
        "I would like more context on how my work connects to the company goals.",
        "Feedback comes late; earlier and smaller would help me more.",
        "Please say no to more requests from other teams; we are overloaded.",
        "I would like clearer expectations for the next level.",
        "Meetings could be fewer; many could be a written update.",
        "Please delegate more of the interesting work, not only the routine.",
        "I would like more recognition in front of other teams when we deliver.",
        "Sometimes you solve problems for us; I would rather be coached.",
        "Please share the team's priorities in writing at the start of the period.",
        "Nothing important; small things we already discuss in our 1:1s.",
    ),
}

# Comments on a rating, by how it went: low (1-2 of 5), middle (3), high (4-5).
RATING_COMMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "self_rating": (
        (
            "This was a hard period for me and I did not deliver what I planned.",
            "I struggled with the scope of my work and know I need support to get back on track.",
            "I met only part of what we agreed; the main goal slipped to next period.",
        ),
        (
            "I delivered what we agreed, with a few delays I should have flagged earlier.",
            "A solid period: nothing spectacular, but I met my commitments.",
            "I did what the role asks; I want to stretch more next period.",
        ),
        (
            "I went beyond my goals and took on work outside my team.",
            "My best period so far: I delivered early and helped others do the same.",
            "I exceeded my goals and grew in ways I did not expect.",
        ),
    ),
    "manager_rating": (
        (
            "{name} did not meet the expectations of the role this period; we have agreed a "
            "clear plan with monthly check-ins.",
            "Several commitments slipped and the quality varied; I want to support {name} more "
            "closely next period.",
            "{name} met some expectations but not the core ones; we will work on priorities.",
        ),
        (
            "{name} fully meets the expectations of the role: reliable, careful and easy to "
            "work with.",
            "A solid period for {name}; the next step is more ownership of larger topics.",
            "{name} delivered what we agreed and grew in confidence over the period.",
        ),
        (
            "{name} clearly exceeded expectations, with impact well beyond the team.",
            "An outstanding period: {name} delivered more than planned and lifted the team.",
            "{name} consistently went beyond the role; I will support a conversation about the "
            "next level.",
        ),
    ),
    "peer_rating": (
        (
            "Working together was sometimes hard because priorities were unclear.",
            "We had a few misunderstandings this period that slowed us down.",
        ),
        (
            "Good to work with; reliable and clear.",
            "Collaboration works well, with room to share plans earlier.",
        ),
        (
            "One of the best people I have worked with here.",
            "Working with {name} makes my own work better.",
        ),
    ),
    "upward_rating": (
        (
            "I often do not know what is expected of me.",
            "I would like much more support than I get at the moment.",
        ),
        (
            "Good support overall, with some gaps in feedback.",
            "I get what I need most of the time.",
        ),
        (
            "The best manager I have had.",
            "I always feel supported and know where I stand.",
        ),
    ),
    "goal": (
        (
            "This slipped: the scope grew and we did not reset expectations in time.",
            "Missed; the dependency on another team blocked most of the period.",
            "Only partly done; we carried the rest over.",
        ),
        (
            "Delivered, a few weeks later than planned.",
            "Done as agreed; the last key result was close.",
            "Met the target, with help from the team at the end.",
        ),
        (
            "Beat the target and finished early.",
            "Exceeded every key result; customers noticed.",
            "Done with room to spare, and the approach is now used by other teams.",
        ),
    ),
}

ITEM_COMMENTS = (
    "Clear progress since the last review.",
    "A real strength; others come to them for this.",
    "Room to grow here; we will pick one concrete step.",
    "Seen in action during the busiest weeks of the period.",
    "Consistent all period.",
)
ACKNOWLEDGEMENT_COMMENTS = (
    "Thank you, this is fair and matches our conversations.",
    "Thanks for the thoughtful review. I agree with the focus areas.",
    "I see the goals part a little differently; happy to discuss in our next 1:1.",
    "Thank you! Looking forward to working on the next level together.",
    "Fair summary. I would add that the spring delays were partly outside my control.",
    "Thanks — the feedback on presenting is useful, I will sign up for the course.",
    "I appreciate the detail and the examples.",
    "Agreed on most points; I would like to talk about the rating.",
)
DECLINE_REASONS = (
    "I have not worked with them closely enough this period.",
    "I am on leave for most of the peer phase, sorry.",
    "I already have several peer reviews to write; someone from their team knows the work better.",
    "We only met once this period, so I cannot give useful feedback.",
)
REOPEN_REASONS = (
    "The manager asked to correct the goals section after a late goal score.",
    "Submitted by mistake before the draft was finished.",
    "The rating was entered on the wrong point of the scale.",
    "Reopened after calibration so the manager can add examples.",
)
FALLBACK_GOAL = "my main goal"
