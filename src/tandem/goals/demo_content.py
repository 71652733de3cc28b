"""What the demo company's goals say: company, team and individual goal templates with
their key results, weekly priorities, check-in notes and reflections.

Key results are tuples: (title, kind, unit, start, target) for numbers, percentages,
currency and yes/no; (title, "milestones", (step, step, ...)) for milestone lists. A target
below the start is a decreasing key result ("churn from 2.1% down to 1.4%").
"""

from __future__ import annotations

from typing import Any

KR = tuple[Any, ...]
GoalTemplate = tuple[str, tuple[KR, ...]]

COMPANY_GOALS: tuple[GoalTemplate, ...] = (
    (
        "Grow annual recurring revenue to $48M",
        (
            ("Annual recurring revenue", "currency", "USD", 36_000_000, 48_000_000),
            ("Net revenue retention", "percentage", "%", 104, 112),
            ("New paying customers", "number", "customers", 0, 9_000),
        ),
    ),
    (
        "Make invoicing effortless for small businesses",
        (
            ("Median time to send a first invoice", "number", "minutes", 14, 5),
            ("Invoices delivered without an error", "percentage", "%", 96, 99.5),
            (
                "Ship recurring invoices v2",
                "milestones",
                (
                    "Design review",
                    "Beta with 50 customers",
                    "Migration of old schedules",
                    "General availability",
                ),
            ),
        ),
    ),
    (
        "Customers love us and stay",
        (
            ("Net promoter score", "number", "NPS points", 38, 50),
            ("Monthly logo churn", "percentage", "%", 2.1, 1.4),
            ("First response time in support", "number", "hours", 9, 2),
        ),
    ),
    (
        "Build a platform owners can rely on every day",
        (
            ("Uptime of invoicing and payroll", "percentage", "%", 99.9, 99.95),
            ("Severity-1 incidents a month", "number", "incidents", 6, 2),
            ("SOC 2 Type II report issued", "boolean", "", 0, 1),
        ),
    ),
    (
        "Launch Bluefjord in Germany and the Netherlands",
        (
            ("Paying customers in DE and NL", "number", "customers", 0, 1_500),
            (
                "Localised payroll",
                "milestones",
                ("Tax tables certified", "Pilot with 10 companies", "Public launch"),
            ),
            ("Revenue booked in EUR", "currency", "EUR", 0, 2_400_000),
        ),
    ),
    (
        "Be a place where people do the best work of their careers",
        (
            ("Engagement survey score", "number", "points", 72, 80),
            ("Regretted attrition", "percentage", "%", 9, 6),
            ("People with a development plan", "percentage", "%", 40, 95),
        ),
    ),
    (
        "Run the company efficiently",
        (
            ("Gross margin", "percentage", "%", 71, 76),
            ("CAC payback", "number", "months", 20, 15),
            ("Days to close the books", "number", "days", 9, 5),
        ),
    ),
)

# Department → category of goals its people write.
CATEGORY_OF = {
    "Engineering": "engineering",
    "Product": "product",
    "Design": "product",
    "Sales": "sales",
    "Marketing": "marketing",
    "Customer Success": "success",
    "Finance": "business",
    "Legal": "business",
    "Operations": "business",
    "Office of the CEO": "business",
    "People": "people",
    "IT": "people",
}

TEAM_GOALS: dict[str, tuple[GoalTemplate, ...]] = {
    "engineering": (
        (
            "Make the invoicing API fast everywhere",
            (
                ("p95 latency of the invoicing API", "number", "ms", 420, 200),
                ("Endpoints with a latency budget", "percentage", "%", 30, 100),
            ),
        ),
        (
            "Cut incidents caused by deploys in half",
            (
                ("Deploys that caused an incident", "percentage", "%", 4, 2),
                ("Services with automated rollback", "number", "services", 6, 24),
            ),
        ),
        (
            "Ship recurring invoices v2",
            (
                (
                    "Delivery plan",
                    "milestones",
                    ("API design agreed", "Scheduler rewritten", "Beta", "Launch"),
                ),
                ("Beta customers using it weekly", "number", "customers", 0, 50),
            ),
        ),
        (
            "Pay down the payroll engine's debt",
            (
                ("Test coverage of the payroll engine", "percentage", "%", 48, 80),
                ("Flaky tests", "number", "tests", 37, 5),
            ),
        ),
        (
            "Get ready for SOC 2 Type II",
            (
                ("Controls with evidence collected", "percentage", "%", 35, 100),
                ("Access reviews done on time", "boolean", "", 0, 1),
            ),
        ),
        (
            "Make mobile the fastest way to get paid",
            (
                ("Crash-free sessions", "percentage", "%", 98.2, 99.6),
                ("Invoices sent from the app each week", "number", "invoices", 12_000, 20_000),
            ),
        ),
    ),
    "product": (
        (
            "Understand why owners stop invoicing",
            (
                ("Customer interviews done", "number", "interviews", 0, 40),
                ("Churn reasons published to the company", "boolean", "", 0, 1),
            ),
        ),
        (
            "Halve the time to a first invoice",
            (
                ("Median time to a first invoice", "number", "minutes", 14, 7),
                ("Onboarding completion", "percentage", "%", 61, 75),
            ),
        ),
        (
            "One design system across web and mobile",
            (
                ("Screens on the new components", "percentage", "%", 20, 80),
                (
                    "Design system releases",
                    "milestones",
                    ("Tokens", "Forms", "Tables", "Navigation"),
                ),
            ),
        ),
        (
            "Prepare the German launch",
            (
                ("Screens translated and reviewed", "percentage", "%", 0, 100),
                ("Usability sessions with German owners", "number", "sessions", 0, 12),
            ),
        ),
    ),
    "sales": (
        (
            "Book $3M in new annual contract value",
            (
                ("New annual contract value", "currency", "USD", 0, 3_000_000),
                ("Win rate on qualified deals", "percentage", "%", 18, 24),
            ),
        ),
        (
            "Build a pipeline worth three times the target",
            (
                ("Qualified pipeline", "currency", "USD", 2_000_000, 9_000_000),
                ("Meetings booked by SDRs", "number", "meetings", 0, 1_200),
            ),
        ),
        (
            "Shorten the sales cycle",
            (
                ("Median days to close", "number", "days", 48, 35),
                ("Deals with a mutual action plan", "percentage", "%", 25, 70),
            ),
        ),
        (
            "Open the DACH market",
            (
                ("First German customers", "number", "customers", 0, 60),
                ("Partner agreements signed", "number", "partners", 0, 3),
            ),
        ),
    ),
    "marketing": (
        (
            "Fill the funnel with owners who need us",
            (
                ("Marketing-qualified leads", "number", "leads", 0, 18_000),
                ("Cost per lead", "currency", "USD", 42, 30),
            ),
        ),
        (
            "Launch the payroll campaign",
            (
                (
                    "Campaign launch",
                    "milestones",
                    ("Message tested", "Landing page", "Webinar series", "Launch week"),
                ),
                ("Trial sign-ups from the campaign", "number", "sign-ups", 0, 4_000),
            ),
        ),
        (
            "Make Bluefjord the name owners trust",
            (
                ("Branded search volume", "number", "searches", 21_000, 30_000),
                ("Customer stories published", "number", "stories", 0, 12),
            ),
        ),
    ),
    "success": (
        (
            "Answer every owner within two hours",
            (
                ("First response time", "number", "hours", 9, 2),
                ("Customer satisfaction", "percentage", "%", 88, 94),
            ),
        ),
        (
            "Keep the customers we have",
            (
                ("Gross revenue retention", "percentage", "%", 88, 92),
                ("At-risk accounts with a save plan", "percentage", "%", 30, 90),
            ),
        ),
        (
            "Onboard new customers in a week",
            (
                ("Median days to go live", "number", "days", 16, 7),
                ("Onboarding playbook rewritten", "boolean", "", 0, 1),
            ),
        ),
        (
            "Turn support answers into self-service",
            (
                ("Tickets answered by the help centre", "percentage", "%", 22, 40),
                ("Help articles rewritten", "number", "articles", 0, 120),
            ),
        ),
    ),
    "business": (
        (
            "Close the books in five days",
            (
                ("Days to close the month", "number", "days", 9, 5),
                ("Reconciliations automated", "percentage", "%", 40, 85),
            ),
        ),
        (
            "Spend every dollar on purpose",
            (
                ("Software spend", "currency", "USD", 1_900_000, 1_500_000),
                ("Budget owners reviewing monthly", "percentage", "%", 50, 100),
            ),
        ),
        (
            "Be ready to sell in the EU",
            (
                (
                    "Entity and VAT registration",
                    "milestones",
                    ("German entity", "Dutch VAT number", "EU data processing addendum"),
                ),
                ("Contracts on the new EU template", "percentage", "%", 0, 100),
            ),
        ),
    ),
    "people": (
        (
            "Hire the people the plan needs",
            (
                ("Offers accepted", "number", "hires", 0, 140),
                ("Median days to hire", "number", "days", 52, 38),
            ),
        ),
        (
            "Every manager trained in feedback",
            (
                ("Managers through the feedback course", "percentage", "%", 15, 90),
                ("Development plans in place", "percentage", "%", 40, 95),
            ),
        ),
        (
            "Laptops and access ready on day one",
            (
                ("New starters ready on day one", "percentage", "%", 70, 98),
                ("Single sign-on for every tool", "boolean", "", 0, 1),
            ),
        ),
    ),
}

INDIVIDUAL_GOALS: dict[str, tuple[GoalTemplate, ...]] = {
    "engineering": (
        (
            "Move the invoice renderer to the new queue",
            (
                ("Invoices rendered on the new queue", "percentage", "%", 0, 100),
                ("Rendering errors a week", "number", "errors", 40, 5),
            ),
        ),
        (
            "Own the on-call runbook for payments",
            (
                ("Alerts with a runbook entry", "percentage", "%", 30, 100),
                ("Runbook reviewed with the team", "boolean", "", 0, 1),
            ),
        ),
        ("Speed up the CI pipeline", (("Median CI time", "number", "minutes", 24, 12),)),
        ("Learn the payroll domain deeply", ()),
        (
            "Mentor a new engineer through their first quarter",
            (("Pairing sessions", "number", "sessions", 0, 12),),
        ),
        (
            "Ship offline mode for invoices",
            (
                (
                    "Offline mode",
                    "milestones",
                    ("Spike", "Sync engine", "Conflict handling", "Release"),
                ),
            ),
        ),
        (
            "Remove the legacy reporting service",
            (
                ("Reports moved off the legacy service", "number", "reports", 0, 38),
                ("Legacy service switched off", "boolean", "", 0, 1),
            ),
        ),
        (
            "Cut cloud spend of my services",
            (("Monthly cloud cost", "currency", "USD", 42_000, 33_000),),
        ),
        ("Write the design doc for multi-currency ledgers", ()),
    ),
    "product": (
        (
            "Run weekly interviews with owners",
            (
                ("Interviews done", "number", "interviews", 0, 12),
                ("Insights shared in the product review", "number", "insights", 0, 6),
            ),
        ),
        (
            "Redesign the first-invoice flow",
            (("Redesign", "milestones", ("Research", "Prototype", "Usability test", "Handoff")),),
        ),
        ("Improve onboarding completion", (("Onboarding completion", "percentage", "%", 61, 70),)),
        ("Write the payroll strategy for next year", ()),
        (
            "Build the accessibility checklist into our process",
            (("Screens passing the checklist", "percentage", "%", 35, 90),),
        ),
    ),
    "sales": (
        (
            "Close $400k in new business",
            (
                ("New annual contract value", "currency", "USD", 0, 400_000),
                ("Deals closed", "number", "deals", 0, 18),
            ),
        ),
        ("Book 90 qualified meetings", (("Qualified meetings", "number", "meetings", 0, 90),)),
        (
            "Grow my territory's pipeline",
            (
                ("Pipeline created", "currency", "USD", 0, 1_200_000),
                ("Accounts researched", "number", "accounts", 0, 150),
            ),
        ),
        ("Get certified on the payroll product", (("Certification passed", "boolean", "", 0, 1),)),
        ("Shorten my sales cycle", (("Median days to close", "number", "days", 50, 38),)),
    ),
    "marketing": (
        (
            "Publish two customer stories a month",
            (("Stories published", "number", "stories", 0, 6),),
        ),
        (
            "Lower cost per lead on paid search",
            (
                ("Cost per lead", "currency", "USD", 48, 34),
                ("Campaigns restructured", "percentage", "%", 0, 100),
            ),
        ),
        (
            "Launch the payroll webinar series",
            (
                (
                    "Webinar series",
                    "milestones",
                    ("Topics chosen", "Speakers booked", "First webinar", "Recordings online"),
                ),
                ("Registrations", "number", "people", 0, 1_500),
            ),
        ),
        ("Build the marketing attribution dashboard", ()),
        ("Grow the newsletter", (("Subscribers", "number", "subscribers", 18_000, 25_000),)),
    ),
    "success": (
        (
            "Keep my accounts renewing",
            (
                ("Renewal rate of my accounts", "percentage", "%", 86, 93),
                ("Quarterly business reviews held", "number", "reviews", 0, 20),
            ),
        ),
        (
            "Answer tickets faster",
            (
                ("My median first response", "number", "hours", 6, 2),
                ("Satisfaction on my tickets", "percentage", "%", 89, 95),
            ),
        ),
        (
            "Write help articles for payroll questions",
            (("Articles published", "number", "articles", 0, 15),),
        ),
        ("Become the team's expert on integrations", ()),
        (
            "Bring new customers live in a week",
            (("Median days to go live", "number", "days", 14, 7),),
        ),
    ),
    "business": (
        (
            "Automate the bank reconciliations",
            (("Accounts reconciled automatically", "percentage", "%", 30, 90),),
        ),
        (
            "Renegotiate our three largest vendor contracts",
            (
                ("Annual savings", "currency", "USD", 0, 250_000),
                ("Contracts renegotiated", "number", "contracts", 0, 3),
            ),
        ),
        (
            "Build the board reporting pack",
            (("Board pack", "milestones", ("Metrics agreed", "Draft", "Review with the CFO")),),
        ),
        ("Tidy up the contract archive", ()),
        ("Forecast within 3% of actuals", (("Forecast error", "percentage", "%", 7, 3),)),
    ),
    "people": (
        (
            "Hire the engineers for the platform team",
            (
                ("Offers accepted", "number", "hires", 0, 8),
                ("Median days to hire", "number", "days", 55, 40),
            ),
        ),
        ("Run the manager feedback course", (("Managers trained", "number", "managers", 0, 60),)),
        (
            "Automate laptop provisioning",
            (("Laptops provisioned without touching them", "percentage", "%", 20, 90),),
        ),
        ("Refresh the onboarding week", ()),
        (
            "Make the benefits guide clear",
            (("Benefits questions to HR", "number", "questions a month", 180, 90),),
        ),
    ),
}

# Bulk-assigned goals: one template a manager gives their whole team.
ASSIGNED_GOALS: tuple[GoalTemplate, ...] = (
    ("Complete the security awareness training", (("Training completed", "boolean", "", 0, 1),)),
    (
        "Write a development plan with my manager",
        (("Development plan agreed", "boolean", "", 0, 1),),
    ),
)

PRIORITIES: dict[str, tuple[str, ...]] = {
    "engineering": (
        "Finish the queue migration PR",
        "Review the rollback design doc",
        "Fix the flaky payroll tests",
        "Pair with the new joiner on the billing code",
        "Write the incident review for Tuesday's outage",
        "Load-test the invoicing API",
        "Prepare the sprint demo",
        "Upgrade the database driver",
        "On-call handover notes",
        "Spike the offline sync",
    ),
    "product": (
        "Three customer interviews",
        "Write the PRD for recurring invoices",
        "Usability test of the new flow",
        "Prioritise the onboarding backlog",
        "Prototype the first-invoice screen",
        "Share the churn research",
        "Plan the German beta",
    ),
    "sales": (
        "Follow up with the Acme Bakery deal",
        "Prepare the QBR deck",
        "Book ten discovery calls",
        "Update the forecast in the CRM",
        "Negotiate the Nordlicht contract",
        "Shadow a payroll demo",
        "Prospect the Munich list",
    ),
    "marketing": (
        "Draft the payroll landing page",
        "Interview a customer for a story",
        "Launch the webinar invite",
        "Review paid search bids",
        "Write this month's newsletter",
        "Brief the agency on the campaign",
    ),
    "success": (
        "Save plan for the Harbour Cafe account",
        "Clear the ticket backlog",
        "Write the payroll FAQ article",
        "Run two onboarding calls",
        "QBR with Lindqvist & Co",
        "Review escalations with the team",
    ),
    "business": (
        "Month-end close",
        "Vendor renewal review",
        "Board pack draft",
        "VAT filing",
        "Budget check-ins with owners",
        "Update the cash forecast",
    ),
    "people": (
        "Screen candidates for the platform team",
        "Plan the manager course session",
        "Provision laptops for next week's starters",
        "Update the benefits guide",
        "Run the onboarding week",
        "Close out open access reviews",
    ),
}

UNLINKED_PRIORITIES = (
    "Expense report",
    "Team offsite planning",
    "Interview loop for a candidate",
    "Help a teammate with their launch",
    "Clear my inbox",
    "Company all-hands prep",
    "Take a training course",
    "Quarterly planning workshop",
)

CHECKIN_NOTES = {
    "on_track": (
        "Good week, moving as planned.",
        "Numbers are where we expected; nothing blocking.",
        "Shipped the first part; the next step is already under way.",
        "Steady progress. Feedback from customers is positive.",
        "Ahead of plan after a strong week.",
    ),
    "at_risk": (
        "Slower than planned: waiting on another team for a review.",
        "Two people were out this week; we may slip a little.",
        "The data looks weaker than expected; looking into it.",
        "Scope grew after the design review; need to cut something.",
    ),
    "off_track": (
        "Blocked on the vendor; escalated.",
        "We underestimated this badly; proposing a smaller target.",
        "Priorities changed and this has had no time for weeks.",
    ),
}

REFLECTIONS = (
    (0.85, "We delivered what we set out to do; the weekly check-ins kept us honest."),
    (0.6, "Most of it landed. The last key result slipped because we started it too late."),
    (0.35, "Partly done. We learnt the target was too ambitious for the team we had."),
    (0.0, "This did not happen: priorities moved and we should have said so earlier."),
)

COMMENTS = (
    "Nice progress — what do you need from me to keep this going?",
    "Could we add a key result for quality, not only speed?",
    "This connects well to what the platform team is doing; worth a chat.",
    "Great update. Let's look at the risk together on Thursday.",
    "The customers I spoke to this week noticed the difference.",
)

CHURN_REASONS = (
    "The target was set before we knew the budget.",
    "Scope moved to the next quarter after planning.",
    "Two people left the team; the target is no longer realistic.",
    "Raised: we hit the first target early.",
    "",
)

WEEKLY_NOTES = (
    "",
    "",
    "Short week because of the holiday.",
    "Mostly interviews and reviews this week.",
    "Focus week: no meetings on Wednesday.",
)
