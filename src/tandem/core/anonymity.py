"""The anonymity model every anonymous channel shares (docs/anonymity.md).

Anonymous upward feedback, anonymous peer reviews, upward reviews — and later surveys —
keep their writers unknown with the same few pieces, all here:

- **The key** (`key`, `digest`): a dedicated random secret, given in the environment
  (`TANDEM_ANONYMITY_KEY`) or generated on first use into a file of the server's own
  (`var/anonymity.key`). Never in the database, never SECRET_KEY, never a constant.
  Markers ("this person already wrote") are HMACs under it; shuffles are seeded from it.
- **The minimum group** (`group_minimum`, `enough`): a group's answers are shown only when
  at least so many people answered, never fewer than `FLOOR`.
- **Per-question shuffles** (`shuffled`): a group's answers are shown per question, in an
  order drawn from a permutation seeded per reader-facing group and question from the key,
  so the order never follows ids, names or the order of writing, and stays the same on
  every page and every call.
- **Day-granular stamps** (`company_today`, `start_of`, `counted_before`): nothing about an
  anonymous act keeps a time finer than the day; live counts are taken up to the start of
  today, so they change at midnight, never at the moment someone writes.
- **The release schedule** (`released`): a group is released by the daily run of
  `tandem send-reminders` after it closes, not by the write that reaches the minimum, so
  no release time or notification tells when the last writer acted.
- **Unordered rows** (`rewrite_shuffled`): rows that must not keep the order they were
  written in (markers, waiting messages, tallies) are rewritten in random order under new
  random keys, so neither key order nor the rows' place in the table follows writing order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import random
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

T = TypeVar("T")

# Below three people "anonymous" stops meaning anything: no setting goes lower.
FLOOR = 3

_cached: dict[str, bytes] = {}


# --- The key ----------------------------------------------------------------------------------


def _generated_key() -> bytes:
    """The key this server generated for itself: read from ANONYMITY_KEY_PATH, written there
    (readable by its owner only) on first use. Two processes starting at once agree: the
    file is created exclusively, and the loser reads the winner's."""
    path = Path(settings.ANONYMITY_KEY_PATH)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(new_secret_value() + "\n")
    value = path.read_text(encoding="ascii").strip()
    if not value:
        raise ImproperlyConfigured(f"{path} is empty; delete it to generate a new key.")
    return base64.urlsafe_b64decode(value.encode())


def new_secret_value() -> str:
    """48 random bytes, URL-safe base64: what the first start stores."""
    return base64.urlsafe_b64encode(secrets.token_bytes(48)).decode()


def key() -> bytes:
    """The anonymity key: from TANDEM_ANONYMITY_KEY when set, else this server's generated
    one."""
    configured = getattr(settings, "ANONYMITY_KEY", "")
    if configured:
        return hashlib.sha256(b"tandem-anonymity-key\x00" + configured.encode()).digest()
    if "generated" not in _cached:
        _cached["generated"] = _generated_key()
    return _cached["generated"]


def forget_key() -> None:
    """Drop the cached generated key (tests that replace it)."""
    _cached.clear()


def derive(purpose: str) -> bytes:
    """A key for one purpose ("upward-marker", "shuffle", "cursor"…), so no two uses of
    the anonymity key ever share an output."""
    return hmac.new(key(), f"tandem:{purpose}".encode(), hashlib.sha256).digest()


def digest(purpose: str, *parts: object) -> str:
    """HMAC-SHA256 (hex) of `parts` under the purpose's key: the same inputs always give
    the same digest; without the key, nobody can say whose it is."""
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(derive(purpose), message, hashlib.sha256).hexdigest()


# --- Minimum groups ---------------------------------------------------------------------------


def group_minimum(configured: int) -> int:
    """The fewest answers a group needs before anyone reads them."""
    return max(int(configured), FLOOR)


def enough(count: int, minimum: int) -> bool:
    return count >= minimum


# --- Shuffles ---------------------------------------------------------------------------------


def permutation(size: int, *seed: object) -> list[int]:
    """A permutation of range(size) drawn from a generator seeded, through the key, with
    `seed` (for a review group: the channel, the participant and the question). The same
    seed gives the same order; without the key, the order is as good as random."""
    material = hmac.new(derive("shuffle"), "\x1f".join(map(str, seed)).encode(), hashlib.sha256)
    order = list(range(size))
    random.Random(int.from_bytes(material.digest(), "big")).shuffle(order)  # noqa: S311
    return order


def shuffled(items: Sequence[T], *seed: object) -> list[T]:
    """`items` in the order of `permutation(len(items), *seed)`. Callers pass items in a
    canonical order (by id): the result depends only on the seed and the key."""
    return [items[i] for i in permutation(len(items), *seed)]


# --- Days -------------------------------------------------------------------------------------


def company_today() -> date:
    """Today in the company's time zone (settings.TIME_ZONE), whoever is reading."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the company's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def counted_before(today: date | None = None) -> datetime:
    """Live counts of anonymous acts count only those before this moment (the start of
    today): what a reader sees changes at midnight, never when one person acts."""
    return start_of(today or company_today())


def released(closes_on: date | None, today: date) -> bool:
    """Whether a group whose window ends on `closes_on` (inclusive) may be released today:
    from the day after it closes."""
    return closes_on is not None and today > closes_on


# --- Unordered rows ---------------------------------------------------------------------------


def rewrite_shuffled(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows and insert them again in random order under new random UUID keys
    (the model's primary key must be a UUIDField with a default). Call inside the write's
    transaction. Returns how many rows were rewritten."""
    model = queryset.model
    pk_name = model._meta.pk.attname
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != pk_name]
    rows = list(queryset.values(*fields))
    queryset.delete()
    secrets.SystemRandom().shuffle(rows)
    model._default_manager.bulk_create(model(**row) for row in rows)
    return len(rows)


def unordered(items: Iterable[T]) -> list[T]:
    """`items` in a fresh random order (for lists that must not keep any order at all)."""
    result = list(items)
    secrets.SystemRandom().shuffle(result)
    return result


@register(Tags.security, deploy=True)
def check_anonymity_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`tandem check --deploy`: a generated key serves one server only."""
    if getattr(settings, "ANONYMITY_KEY", ""):
        return []
    return [
        CheckWarning(
            "TANDEM_ANONYMITY_KEY is not set: the anonymity key is generated into "
            f"{settings.ANONYMITY_KEY_PATH} on this server.",
            hint="Fine for one server whose var/ directory persists. With more than one "
            "server, give every server the same TANDEM_ANONYMITY_KEY (docs/anonymity.md).",
            id="tandem.W001",
        )
    ]
