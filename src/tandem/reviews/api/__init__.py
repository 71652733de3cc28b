"""Reviews under /api/v1/: templates, cycles, participants, nominations, reviews, progress.

Thin: parse, look up through the access scope, call the review services, shape the answer.
Whatever the caller may not see is answered exactly like something missing (404). URL names
are the function names ("api:get_review"). A path's methods must live in one module: Django
matches the first pattern with that path, whatever the method.

- `cycles`: templates, cycles, the people reviewed, progress (reads only)
- `reviews`: reviews, nominations, and every write
- `common`: what both share: lookups through the access scope, page cursors, shapes

The router below joins `cycles` and `reviews`.
"""

from __future__ import annotations

from ninja import Router

from tandem.reviews.api.cycles import router as cycles_router
from tandem.reviews.api.reviews import router as reviews_router

router = Router()
router.add_router("", cycles_router)
router.add_router("", reviews_router)
