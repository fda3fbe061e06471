"""Cached reads and the versions that keep them honest.

Content changes rarely and is read on every page, so the pieces of pages that depend on
content alone are cached under a content version. Any content write bumps the version
(signals for single saves, including the admin's; the content loader bumps it itself
after bulk writes), so a stale page is never served.

A learner's own data (topic states, notes, portfolio, settings) has a version of its
own, bumped after every change commits, so a page rendered for one learner can be kept
under (content version, learner version) until either moves on.

Both versions are random tokens in the shared cache: a cache that was emptied never
hands out an old version's name again. With REDIS_URL set they are shared by every app
process."""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"
LEARNER_VERSION_KEY = "learner-version:{}"
TIMEOUT = 60 * 60
ANONYMOUS = "anonymous"


def _new_token() -> str:
    return uuid.uuid4().hex


def content_version() -> str:
    """A token naming the current content."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_token(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_cache_bump() -> None:
    """Invalidate every cached content read."""
    cache.set(VERSION_KEY, _new_token(), timeout=None)


def content_cached(key: str, build):
    """The cached value of `build()` for the current content version."""
    versioned_key = f"content:{content_version()}:{key}"
    value = cache.get(versioned_key)
    if value is None:
        value = build()
        cache.set(versioned_key, value, TIMEOUT)
    return value


def page_versions(user) -> tuple[str, str]:
    """(content version, learner version) in one cache round trip; the learner version
    of a visitor who is not signed in is "anonymous"."""
    if not user.is_authenticated:
        return content_version(), ANONYMOUS
    learner_key = LEARNER_VERSION_KEY.format(user.pk)
    found = cache.get_many([VERSION_KEY, learner_key])
    content = found.get(VERSION_KEY) or content_version()
    learner = found.get(learner_key)
    if learner is None:
        cache.add(learner_key, _new_token(), timeout=None)
        learner = cache.get(learner_key)
    return content, f"{user.pk}:{learner}"


def learner_cache_bump(user_id: int) -> None:
    """Retire everything cached for this learner's pages: now, and again once the
    current transaction commits, because a page rendered between the two from data not
    yet committed sits under a version that nobody asks for again."""
    key = LEARNER_VERSION_KEY.format(user_id)
    cache.set(key, _new_token(), timeout=None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, _new_token(), timeout=None))
