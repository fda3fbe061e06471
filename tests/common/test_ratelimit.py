"""Rate-limit counters: shared, atomic and bounded, in Redis or in the database."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from common import ratelimit
from common.models import RateCounter

pytestmark = pytest.mark.django_db

without_redis = pytest.mark.skipif(bool(settings.REDIS_URL), reason="the database store")


def test_counts_each_event_and_says_when_over_the_limit():
    results = [ratelimit.over_limit("probe", "10.0.0.1", limit=3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert ratelimit.hit("probe", "10.0.0.2") == 1  # another client has its own count


def test_scopes_are_counted_apart():
    ratelimit.hit("signup", "10.0.0.1")
    assert ratelimit.hit("password-reset", "10.0.0.1") == 1


def test_long_identities_make_bounded_keys():
    assert ratelimit.hit("probe", "x" * 50_000) == 1
    assert ratelimit.hit("probe", "x" * 50_000) == 2
    assert len(ratelimit._key("probe", "x" * 50_000)) < 100


@without_redis
def test_emptying_the_cache_does_not_reset_a_count():
    """Search traffic evicting a per-process cache once let sign-ups through again."""
    for _ in range(3):
        ratelimit.hit("signup", "10.0.0.1")
    for index in range(1000):
        cache.set(f"search:{index}", "x" * 100)
    cache.clear()
    assert ratelimit.hit("signup", "10.0.0.1") == 4


@without_redis
def test_a_window_ends_and_expired_counters_are_pruned():
    ratelimit.hit("signup", "10.0.0.1")
    ratelimit.hit("signup", "10.0.0.2")
    RateCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ratelimit.hit("signup", "10.0.0.1") == 1  # a new window
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["rate:signup:10.0.0.1"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis")
def test_redis_counters_always_expire():
    import redis

    ratelimit.hit("signup", "10.0.0.1", window=60)
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:rate:signup:10.0.0.1"
    assert 0 < client.ttl(key) <= 60
    client.persist(key)  # a counter that somehow lost its expiry gets one back
    assert ratelimit.hit("signup", "10.0.0.1", window=60) == 2
    assert 0 < client.ttl(key) <= 60


@pytest.mark.skipif(
    connections["default"].vendor == "sqlite",
    reason="the in-memory test database locks whole tables; tests/test_processes.py runs "
    "concurrent sign-ups against a SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_events_are_each_counted_once():
    counts, errors = [], []

    def worker():
        try:
            for _ in range(10):
                counts.append(ratelimit.hit("signup", "10.9.9.9"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(counts) == list(range(1, 41))
