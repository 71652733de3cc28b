"""The demo company's career frameworks: three tracks written to be read by the people on
them. Expectations are cumulative: each level assumes the ones before it and says what is
new. The same content, exported, is the sample ladder in docs/frameworks/engineering.yaml."""

from __future__ import annotations

from typing import Any

# (code, title, summary, typical scope)
Level = tuple[str, str, str, str]
# (key, group, name, description, one expectation per level in order)
Competency = tuple[str, str, str, str, tuple[str, ...]]


def _track(
    key: str, name: str, description: str, levels: list[Level], competencies: list[Competency]
) -> dict[str, Any]:
    codes = [level[0] for level in levels]
    for competency in competencies:
        assert len(competency[4]) == len(codes), competency[0]
    return {
        "key": key,
        "name": name,
        "description": description,
        "levels": [
            {"code": code, "title": title, "summary": summary, "scope": scope}
            for code, title, summary, scope in levels
        ],
        "competencies": [
            {
                "key": ckey,
                "group": group,
                "name": cname,
                "description": cdescription,
                "expectations": dict(zip(codes, texts, strict=True)),
            }
            for ckey, group, cname, cdescription, texts in competencies
        ],
    }


ENGINEERING_IC = _track(
    "engineering-ic",
    "Engineering IC",
    "For software, data, mobile, infrastructure, security and quality engineers who grow "
    "without managing people. Each level builds on the one before it: read your level, then "
    "the next one to see what changes.",
    [
        (
            "IC1",
            "Engineer I",
            "Learning the codebase, the tools and how the team works. Delivers well-defined "
            "tasks with guidance and asks for help early.",
            "A task within a feature, usually days to a couple of weeks, with a more senior "
            "engineer close by.",
        ),
        (
            "IC2",
            "Engineer II",
            "Delivers features of moderate size on their own, from a clear problem to "
            "working software in production.",
            "A feature or a component, usually a few weeks; asks for design input on larger "
            "changes.",
        ),
        (
            "IC3",
            "Senior engineer",
            "Owns a project or a service for the team from design to operation, and raises "
            "the level of the engineers around them.",
            "A project or a service of the team, usually a quarter; the team's technical "
            "reference in that area.",
        ),
        (
            "IC4",
            "Staff engineer",
            "Solves problems that span several teams and sets technical direction for a group "
            "of systems, mostly through other people.",
            "Several teams' systems or a cross-team initiative, over half a year or more.",
        ),
        (
            "IC5",
            "Senior staff engineer",
            "Shapes the technical strategy of a whole area and turns it into plans that many "
            "teams can follow.",
            "An area of the company's technology (for example the platform, or data), over a "
            "year or more.",
        ),
        (
            "IC6",
            "Principal engineer",
            "Sets the company's long-term technical direction with its leadership and is "
            "recognised for it beyond the company.",
            "The company's technology as a whole, over several years.",
        ),
    ],
    [
        (
            "code-quality",
            "Craft",
            "Code quality",
            "Writing code that is correct, clear and easy for the next person to change.",
            (
                "Writes code that works, follows the team's style and is covered by tests. "
                "Takes review comments on board and does not repeat the same mistake.",
                "Writes code that others find easy to read and change without being told how. "
                "Refactors the code they touch when it helps the change, and keeps pull "
                "requests small enough to review well.",
                "Sets the standard for code in their area: chooses clear abstractions, removes "
                "complexity rather than adding it, and gives reviews that teach.",
                "Improves code quality across several teams: shared libraries, linters, "
                "patterns and examples that make the right way the easy way.",
                "Decides which code-quality investments matter for a whole area and gets "
                "them funded and done, measuring the effect on delivery.",
                "Shapes the engineering culture of the company so that quality holds as it "
                "grows; their practices are adopted far beyond their own teams.",
            ),
        ),
        (
            "design",
            "Craft",
            "System design",
            "Choosing how software is structured so that it meets today's needs and can "
            "change tomorrow.",
            (
                "Understands the design of the component they work in and asks why it is "
                "built that way before changing it.",
                "Designs a feature within an existing system: data model, interfaces and "
                "error cases, written down briefly for review before building.",
                "Designs a service or a significant change end to end, compares at least two "
                "options with their trade-offs, and writes a design document others can "
                "review.",
                "Designs systems that several teams build on, makes the interfaces between "
                "them explicit, and reviews other teams' designs in the area.",
                "Defines the target architecture of an area and a path there that teams can "
                "follow step by step without stopping delivery.",
                "Makes the architectural decisions that shape the company's technology for "
                "years, and knows when a decision can still be reversed.",
            ),
        ),
        (
            "reliability",
            "Craft",
            "Testing and reliability",
            "Making sure software keeps working: tests, monitoring, and learning from incidents.",
            (
                "Adds unit tests with every change and runs the test suite before asking for "
                "review. Knows how to read the team's dashboards.",
                "Tests the failure cases as well as the happy path, adds monitoring for what "
                "they ship, and takes part in the on-call rotation.",
                "Defines how their service is tested and monitored, leads incident response "
                "for it, and writes blameless reviews that lead to real fixes.",
                "Raises reliability across several teams: service-level objectives, shared "
                "tooling, and incident reviews whose lessons spread.",
                "Sets reliability goals for an area with the business and makes the trade-off "
                "between speed and stability explicit.",
                "Owns the company's approach to reliability and risk, including the rare "
                "failures that would hurt it most.",
            ),
        ),
        (
            "execution",
            "Delivery",
            "Planning and execution",
            "Turning a goal into shipped work: breaking it down, estimating, and finishing.",
            (
                "Delivers well-defined tasks on time, and says early when something takes "
                "longer than expected.",
                "Breaks a feature into steps, estimates them reasonably, and ships in small "
                "increments rather than one large change at the end.",
                "Plans a project of several people over weeks: milestones, risks and "
                "dependencies. Cuts scope to protect the goal when needed.",
                "Delivers initiatives that span several teams, aligning their plans and "
                "unblocking them before work stalls.",
                "Runs the largest technical programmes of the company to completion, with "
                "plans leaders can rely on.",
                "Chooses which technical bets the company makes and makes sure the ones it "
                "makes are finished.",
            ),
        ),
        (
            "ownership",
            "Delivery",
            "Ownership",
            "Taking responsibility for outcomes, not only for tasks.",
            (
                "Finishes what they start, including the tests, documentation and follow-ups.",
                "Owns features after they ship: watches how they behave, fixes what breaks, "
                "and follows up on user feedback.",
                "Owns a service or a product area for the team: its health, its backlog and "
                "its long-term state. Notices problems nobody assigned.",
                "Takes ownership of problems that fall between teams and sees them solved, "
                "even when the work is someone else's.",
                "Owns the outcome of an area's technology; when it goes wrong, leads the "
                "correction without looking for blame.",
                "Acts as an owner of the company: puts the company's interest before their "
                "area's, and is trusted to do so.",
            ),
        ),
        (
            "communication",
            "Collaboration",
            "Communication",
            "Sharing information clearly, in writing and in person, with the right people.",
            (
                "Gives clear status updates, asks precise questions, and writes pull request "
                "descriptions that explain the why.",
                "Explains their work to engineers and non-engineers alike, and writes "
                "documentation others actually use.",
                "Writes design documents and project updates that lead to decisions; adapts "
                "the message to the audience, from engineers to leadership.",
                "Communicates technical direction across teams so that people understand the "
                "reasons, not only the decisions.",
                "Explains the technical strategy of an area to the company's leadership and "
                "turns their questions into clear choices.",
                "Represents the company's engineering inside and outside: talks, writing and "
                "conversations that attract and guide people.",
            ),
        ),
        (
            "teamwork",
            "Collaboration",
            "Teamwork and code review",
            "Working well with others: reviews, pairing, and resolving disagreement.",
            (
                "Reviews others' pull requests when asked, receives feedback openly and "
                "helps teammates when they are stuck.",
                "Reviews promptly and kindly with useful comments, and works smoothly with "
                "product, design and other engineers.",
                "Helps the team make decisions together, resolves technical disagreements "
                "with evidence, and makes reviews a place where people learn.",
                "Builds working relationships across teams and functions; people seek them "
                "out to settle cross-team questions.",
                "Brings leaders of different areas to agreement on difficult technical trade-offs.",
                "Builds alliances across the company and the industry that make hard "
                "changes possible.",
            ),
        ),
        (
            "mentoring",
            "Collaboration",
            "Mentoring and growing others",
            "Helping other people become better engineers.",
            (
                "Shares what they learn with the team, for example in a short write-up or a demo.",
                "Helps new team members get started: pairs with them, answers questions and "
                "improves the onboarding notes.",
                "Mentors one or more engineers, gives them stretch work and honest feedback, "
                "and helps hiring as an interviewer.",
                "Grows senior engineers across several teams and is a visible role model for "
                "the staff path.",
                "Develops the next staff engineers of an area and shapes how the company "
                "hires and levels engineers.",
                "Shapes how the whole company develops engineering talent.",
            ),
        ),
        (
            "product-sense",
            "Impact",
            "Product and business sense",
            "Understanding why the work matters to customers and to the company.",
            (
                "Knows who uses the feature they work on and what problem it solves.",
                "Asks about the user's need before building, and suggests simpler ways to meet it.",
                "Shapes the team's roadmap with product: proposes work that matters, and "
                "says no to work that does not.",
                "Connects technical choices to business results across several teams, for "
                "example cost, speed of delivery or new markets.",
                "Shapes the product strategy of an area with its leaders, using what the "
                "technology makes possible.",
                "Helps set the company's strategy, spotting the opportunities and threats "
                "that technology creates.",
            ),
        ),
    ],
)


MANAGEMENT = _track(
    "management",
    "People management",
    "For people who lead teams, in engineering and in every other department: from a "
    "first-line manager to the chief executive. What matters most here is the people on "
    "your team and the results they achieve together.",
    [
        (
            "M1",
            "Manager",
            "Leads one team of individual contributors: their growth, their wellbeing and "
            "their results.",
            "One team, typically 4 to 9 people.",
        ),
        (
            "M2",
            "Senior manager",
            "Leads a larger team or a group of teams, some through first-line managers, and "
            "develops those managers.",
            "A group of teams, typically 10 to 40 people.",
        ),
        (
            "M3",
            "Director",
            "Leads a department or a large area through managers, and shapes its strategy "
            "with the leadership team.",
            "A department or area, typically 30 to 150 people.",
        ),
        (
            "VP",
            "Vice president",
            "Leads a function of the company and is accountable for it to the executive team.",
            "A function of the company (engineering, sales…), including its budget.",
        ),
        (
            "CEO",
            "Chief executive",
            "Leads the company: its direction, its leadership team and its culture.",
            "The whole company.",
        ),
    ],
    [
        (
            "coaching",
            "People",
            "Coaching and growth",
            "Helping each person grow in their career.",
            (
                "Holds regular 1:1s with every report, knows what each one wants to learn, "
                "and agrees a development plan with them.",
                "Coaches the managers on their team to hold good 1:1s and development plans; "
                "grows at least one person into a new role.",
                "Builds a bench of leaders for the department: succession for key roles and "
                "clear paths for growth.",
                "Makes sure the function develops its talent: career frameworks, promotions "
                "and leadership development that work.",
                "Builds the leadership team the company needs, and coaches it.",
            ),
        ),
        (
            "feedback",
            "People",
            "Feedback and performance",
            "Making expectations clear and saying how people are doing, early and fairly.",
            (
                "Sets clear expectations, gives specific feedback within days, and deals with "
                "underperformance early and with care.",
                "Makes sure their managers give fair, well-evidenced reviews, and takes part "
                "in calibration with evidence rather than advocacy.",
                "Holds the department's performance and promotion decisions to a consistent, "
                "fair standard, and checks the figures for bias.",
                "Owns the fairness of performance decisions across a function and acts when "
                "the figures show a gap.",
                "Sets the standard of candour and fairness the whole company follows, and "
                "holds the leadership team to it.",
            ),
        ),
        (
            "hiring",
            "People",
            "Hiring and team building",
            "Bringing the right people in and shaping teams that work.",
            (
                "Hires well for their team with a structured process, and onboards new "
                "people so they contribute within weeks.",
                "Plans hiring for a group of teams, trains interviewers and shapes teams "
                "around the work.",
                "Designs the department's organisation and its hiring plan, and hires managers.",
                "Shapes the organisation of a function for the next years and hires its "
                "senior leaders.",
                "Builds the executive team and the organisation the company's strategy needs.",
            ),
        ),
        (
            "delivery",
            "Results",
            "Team delivery",
            "Getting results through the team.",
            (
                "Team goals are clear, progress is visible, and the team ships what it "
                "commits to or says early why not.",
                "Several teams deliver predictably; the senior manager removes the obstacles "
                "between them.",
                "The department reliably delivers on its part of the company's goals.",
                "The function meets its goals and its budget quarter after quarter.",
                "The company meets its goals; the chief executive answers for them to the board.",
            ),
        ),
        (
            "direction",
            "Results",
            "Direction and priorities",
            "Deciding what matters most and explaining why.",
            (
                "Translates the department's goals into clear priorities for the team and "
                "explains the reasons.",
                "Sets priorities across teams, says no to work that does not serve the goals, "
                "and revisits them as things change.",
                "Sets the department's strategy with the leadership team and turns it into "
                "goals teams can own.",
                "Sets the function's strategy and makes the hard trade-offs between its areas.",
                "Sets the company's mission, strategy and the few priorities that matter most.",
            ),
        ),
        (
            "communication",
            "Leadership",
            "Communication",
            "Keeping people informed, and listening.",
            (
                "Shares context with the team openly, runs useful team meetings, and brings "
                "the team's concerns upward.",
                "Keeps several teams aligned on goals and changes, and makes sure news does "
                "not depend on who heard it in which meeting.",
                "Communicates the department's direction in writing and in person, and "
                "listens to what people say back.",
                "Explains the function's decisions to the whole company and to the executive team.",
                "Communicates the company's direction to everyone in it, to the board and to "
                "the outside world.",
            ),
        ),
        (
            "culture",
            "Leadership",
            "Culture and inclusion",
            "Building a team where everyone can do their best work.",
            (
                "Makes the team a place where everyone speaks up and is heard, and acts on "
                "behaviour that excludes people.",
                "Builds inclusive practices across teams, in meetings, hiring and who gets "
                "the visible work.",
                "Owns the department's engagement and inclusion, using the survey and "
                "fairness figures, and acts on what they show.",
                "Shapes the function's culture and makes the company values real in its decisions.",
                "Embodies the company values and makes sure the leadership team does too.",
            ),
        ),
        (
            "collaboration",
            "Leadership",
            "Collaboration across teams",
            "Working with peers so the company succeeds, not only one's own team.",
            (
                "Works well with the managers of neighbouring teams and resolves friction "
                "between the teams directly.",
                "Builds partnerships with other departments and shares people and knowledge "
                "when it helps the company.",
                "Works with the other directors as one leadership team, settling conflicts "
                "between departments.",
                "Partners with the other vice presidents on the company's goals, beyond the "
                "function's own.",
                "Makes the leadership team work as one team.",
            ),
        ),
    ],
)


BUSINESS = _track(
    "business",
    "Business and customer-facing",
    "For individual contributors outside engineering: sales, customer success and "
    "support, marketing, product, design, finance, people and operations. The levels are "
    "shared so that growth means the same in every team; your department's own skills live "
    "in “Expertise in the field”.",
    [
        (
            "B1",
            "Associate",
            "Learning the role and the company. Delivers well-defined work with guidance.",
            "Their own tasks and customers, with a more senior colleague close by.",
        ),
        (
            "B2",
            "Professional",
            "Works on their own across the full scope of the role and is relied on by the team.",
            "Their own portfolio of work or customers.",
        ),
        (
            "B3",
            "Senior professional",
            "An expert in the role who handles the hardest cases and improves how the team works.",
            "Complex work or key customers, and the team's ways of working.",
        ),
        (
            "B4",
            "Lead",
            "Leads initiatives across teams and is the reference for their field in the "
            "department.",
            "A field or programme across teams, over several quarters.",
        ),
        (
            "B5",
            "Principal",
            "Shapes how the company works in their field.",
            "Their field across the company, over years.",
        ),
    ],
    [
        (
            "customer",
            "Customers",
            "Customer focus",
            "Understanding customers (outside or inside the company) and acting in their interest.",
            (
                "Answers customers' requests promptly and politely, and passes on what they "
                "cannot solve with the context someone else needs.",
                "Understands what their customers are trying to achieve and solves the need "
                "behind the request.",
                "Handles the most demanding customers and situations, and turns what "
                "customers say into improvements the team makes.",
                "Shapes how several teams serve customers, using evidence from across the company.",
                "Represents the customer in the company's strategy.",
            ),
        ),
        (
            "expertise",
            "Craft",
            "Expertise in the field",
            "The knowledge and skill of one's own field: selling, support, marketing, "
            "design, finance, people…",
            (
                "Knows the basics of the field and the team's tools, and is learning fast.",
                "Masters the everyday work of the field and knows where to find answers to "
                "the rest.",
                "Is the team's expert: others come to them with hard questions, and they "
                "keep up with the field.",
                "Brings the best practice of the field into the company and adapts it to "
                "how we work.",
                "Is recognised as an expert in the field beyond the company.",
            ),
        ),
        (
            "execution",
            "Results",
            "Planning and execution",
            "Organising the work and getting it done.",
            (
                "Plans their own week, meets deadlines and says early when something slips.",
                "Manages several pieces of work at once, prioritises them sensibly and meets "
                "their targets.",
                "Plans and delivers projects with other people, anticipating risks and "
                "dependencies.",
                "Runs programmes across teams to completion.",
                "Delivers the company's most important initiatives in their field.",
            ),
        ),
        (
            "judgement",
            "Results",
            "Judgement and problem solving",
            "Making good decisions with the information available.",
            (
                "Follows the team's processes and knows when to ask before deciding.",
                "Solves the usual problems of the role on their own and explains their reasoning.",
                "Solves new or ambiguous problems, weighs the options with data, and makes "
                "sound calls under pressure.",
                "Frames the problems of a whole area so that others can solve them, and makes "
                "decisions with long-term effects.",
                "Makes the decisions that shape the company's approach in their field.",
            ),
        ),
        (
            "ownership",
            "Results",
            "Ownership and improvement",
            "Taking responsibility for results and making the work better.",
            (
                "Finishes what they start and keeps their records and notes up to date.",
                "Owns their results and suggests improvements to how the work is done.",
                "Improves the team's processes and tools, measuring whether the change helped.",
                "Leads changes to how several teams work, and makes them stick.",
                "Leads changes to how the whole company works in their field.",
            ),
        ),
        (
            "communication",
            "People",
            "Communication",
            "Writing and speaking clearly, and listening.",
            (
                "Writes and speaks clearly with colleagues and customers, and listens "
                "before answering.",
                "Adapts their message to the audience and writes documents others use.",
                "Presents to senior people and customers with confidence, and handles "
                "difficult conversations well.",
                "Communicates the direction of their field across the company.",
                "Speaks for the company in their field, inside and outside.",
            ),
        ),
        (
            "collaboration",
            "People",
            "Collaboration",
            "Working with colleagues inside and outside one's team.",
            (
                "Helps teammates, shares information and takes feedback well.",
                "Works well with other teams to get things done, and is reliable when they "
                "depend on them.",
                "Builds strong relationships across departments and resolves disagreements "
                "constructively.",
                "Brings several teams together around a shared goal.",
                "Builds partnerships across the company and beyond it.",
            ),
        ),
        (
            "growing-others",
            "People",
            "Growing others",
            "Helping colleagues learn and succeed.",
            (
                "Shares what they learn with the team.",
                "Helps new colleagues get started and answers their questions.",
                "Mentors colleagues, and helps with hiring and onboarding.",
                "Develops the senior professionals of their field.",
                "Shapes how the company develops people in their field.",
            ),
        ),
    ],
)

TRACKS = [ENGINEERING_IC, MANAGEMENT, BUSINESS]
