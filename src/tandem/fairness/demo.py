"""The demo company's protected attributes: a gender and an age band for nearly everyone.

Registered with the org demo (`org.demo.register_demo`) from `FairnessConfig.ready()`, so
it runs after the reviews demo (reviews comes before fairness in INSTALLED_APPS) and can
read the finished cycle's manager ratings through `reviews.queries.ratings`. It changes
no rating: the reviews demo's ratings stay exactly what its seed makes them.

About 5% of people have not given each attribute (no row), 1.5% are non-binary (a group
small enough to be suppressed at most sizes). Women and men are dealt out so the
finished cycle shows a small, visible gap in raw manager ratings: women's share at the
top rating point is about `TOP_SHARE_RATIO` (0.75) of men's — below the four-fifths line
the fairness view flags, and what a calibration session should narrow. Everything is
drawn from the seed (its own `random.Random`, so the other demos' draws are untouched)
and written in bulk: two queries to read, a few chunked inserts to write, at any size.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date

from django.utils import timezone

from tandem.core.bulk import RowSink
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.demo import register_demo
from tandem.org.models import Person
from tandem.reviews.queries.ratings import latest_finished_cycle, raw_manager_ratings

Progress = Callable[[str, int, int], None]
CHUNK = 5000
NOT_GIVEN = 0.05  # share of people with no value, per attribute
TOP_SHARE_RATIO = 0.75  # women's top-rating share / men's, in the finished cycle's raw ratings
WOMAN, MAN, NON_BINARY = "Woman", "Man", "Non-binary"
NON_BINARY_SHARE = 0.015
AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("Under 25", 0.10),
    ("25–34", 0.34),
    ("35–44", 0.29),
    ("45–54", 0.18),
    ("55 and over", 0.09),
)
ATTRIBUTES = (("gender", "Gender"), ("age_band", "Age band"))


def _deal_genders(
    rng: random.Random, top: Sequence[int], rest: Sequence[int], unrated: Sequence[int]
) -> dict[int, str]:
    """Women get TOP_SHARE_RATIO / (1 + TOP_SHARE_RATIO) of the people rated at the top and
    as many of the others as makes the two groups about the same size, so the ratio of
    their top shares is TOP_SHARE_RATIO. People without a rating get either at even odds."""
    genders: dict[int, str] = {}
    top, rest = list(top), list(rest)
    rng.shuffle(top)
    rng.shuffle(rest)
    women_top = round(len(top) * TOP_SHARE_RATIO / (1 + TOP_SHARE_RATIO))
    half = (len(top) + len(rest)) // 2
    women_rest = max(0, min(len(rest), half - women_top))
    for index, pk in enumerate(top):
        genders[pk] = WOMAN if index < women_top else MAN
    for index, pk in enumerate(rest):
        genders[pk] = WOMAN if index < women_rest else MAN
    for pk in unrated:
        genders[pk] = WOMAN if rng.random() < 0.5 else MAN
    return genders


def _age_band(rng: random.Random) -> str:
    draw = rng.random()
    for band, weight in AGE_BANDS:
        draw -= weight
        if draw < 0:
            return band
    return AGE_BANDS[-1][0]


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the demo's protected attributes. Runs inside the org demo's transaction."""
    rng = random.Random(seed * 7919 + 31)  # noqa: S311 (demo data: reproducible from the seed)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    if not people:
        return
    cycle = latest_finished_cycle()
    top: list[int] = []
    rest: list[int] = []
    if cycle is not None:
        for person_id, (raw, points) in sorted(raw_manager_ratings(cycle).items()):
            (top if raw == points else rest).append(person_id)
    # Who did not say, and who is non-binary, is drawn from everyone alike first; the two
    # large groups are dealt among the rest, so the ratio between them is as dealt.
    gender_given: dict[int, str | None] = {}
    for pk in people:
        if rng.random() < NOT_GIVEN:
            gender_given[pk] = None
        elif rng.random() < NON_BINARY_SHARE:
            gender_given[pk] = NON_BINARY
    rated = set(top) | set(rest)
    gender_given.update(
        _deal_genders(
            rng,
            [pk for pk in top if pk not in gender_given],
            [pk for pk in rest if pk not in gender_given],
            [pk for pk in people if pk not in rated and pk not in gender_given],
        )
    )

    attributes = {}
    for key, label in ATTRIBUTES:
        attribute, _ = ProtectedAttribute.objects.get_or_create(key=key, defaults={"label": label})
        attributes[key] = attribute.pk
    sink = RowSink(PersonAttribute, ("person", "attribute", "value", "updated_at"), chunk=CHUNK)
    now = timezone.now()
    for done, pk in enumerate(people, start=1):
        gender = gender_given[pk]
        if gender is not None:
            sink.add((pk, attributes["gender"], gender, now))
        if rng.random() >= NOT_GIVEN:
            sink.add((pk, attributes["age_band"], _age_band(rng), now))
        if done % CHUNK == 0:
            progress("protected attributes", done, len(people))
    sink.flush()
    progress("protected attributes", len(people), len(people))
