"""Who may see and do what in growth: career frameworks, development plans, promotions.

Each part of the app keeps its rules in its own module here; importing the package
registers them all with tandem.access (deny by default: an action without a rule is
refused)."""

from tandem.growth.rules import frameworks, plans, profile, promotions, standing  # noqa: F401
