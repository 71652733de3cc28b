"""Growth's API, /api/v1/growth/…: one router per part of the app."""

from ninja import Router

from tandem.growth.api import frameworks, plans, profile, promotions, standing

router = Router()
for part in (frameworks, profile, plans, promotions, standing):
    router.add_router("/", part.router)
