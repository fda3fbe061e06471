"""Cached content reads. Content changes rarely and is read on every page, so the
pieces of pages that depend on content alone are cached under a content version.
Any content write bumps the version (signals for single saves, including the admin's;
the content loader bumps it itself after bulk writes), so a stale page is never served.
With REDIS_URL set the cache, and so the version, is shared by every app process."""

import uuid

from django.core.cache import cache

VERSION_KEY = "content-version"
TIMEOUT = 60 * 60


def content_version() -> str:
    """A token naming the current content; random, so that a cache that was emptied
    never hands out an old version's name again."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_cache_bump() -> None:
    """Invalidate every cached content read."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_cached(key: str, build):
    """The cached value of `build()` for the current content version."""
    versioned_key = f"content:{content_version()}:{key}"
    value = cache.get(versioned_key)
    if value is None:
        value = build()
        cache.set(versioned_key, value, TIMEOUT)
    return value
