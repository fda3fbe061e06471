"""Counters that enforce limits, shared by every app process and instance.

With REDIS_URL they live in Redis (INCR and EXPIRE in one script, so a counter always
expires); without it in the database, one row per counter, incremented by a single
UPDATE inside a transaction. Never in a per-process cache, which other processes do not
see and other traffic can evict.

A counter's window starts with its first event and lasts `window` seconds.
"""

import functools
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.models import RateCounter

_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


def _key(scope: str, ident: str) -> str:
    """A bounded key: long identities (emails, anything a client sends) are hashed."""
    if len(ident) > 100:
        ident = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
    return f"rate:{scope}:{ident}"


@functools.cache
def _redis_script():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    return client.register_script(_INCREMENT)


def _redis_count(key: str, window: int) -> int:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return int(_redis_script()(keys=[f"{prefix}:{key}"], args=[window]))


def _database_count(key: str, window: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        live = RateCounter.objects.filter(key=key, expires_at__gt=now)
        if live.update(count=F("count") + 1):
            return live.values_list("count", flat=True).get()
        # None live: this event opens a window. Prune what has expired (this key's old
        # row among them) while here.
        RateCounter.objects.filter(expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                RateCounter.objects.create(
                    key=key, count=1, expires_at=now + timedelta(seconds=window)
                )
        except IntegrityError:  # another process opened it first
            RateCounter.objects.filter(key=key).update(count=F("count") + 1)
            return RateCounter.objects.filter(key=key).values_list("count", flat=True).get()
        return 1


def hit(scope: str, ident: str, *, window: int = 3600) -> int:
    """Count one event for `ident` in `scope`; returns the events counted in the
    current window, this one included."""
    key = _key(scope, ident)
    if settings.REDIS_URL:
        return _redis_count(key, window)
    return _database_count(key, window)


def over_limit(scope: str, ident: str, *, limit: int, window: int = 3600) -> bool:
    """Count one event; True once more than `limit` happened in the window."""
    return hit(scope, ident, window=window) > limit
