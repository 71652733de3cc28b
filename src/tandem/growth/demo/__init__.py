"""The demo company's growth data: each part registers its own loader with org.demo.

Frameworks and placements are written before the reviews demo (review forms may draw
their competency questions from them); plans and promotions after it."""

from tandem.growth.demo import frameworks, plans, promotions  # noqa: F401
