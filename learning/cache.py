"""Cached reads and the versions that keep them honest.

Content changes rarely and is read on every page, so the pieces of pages that depend on
content alone are cached under a content version. Any content write bumps the version
(signals for single saves, including the admin's; the content loader bumps it itself
after bulk writes), so a stale page is never served.

A learner's own data (topic states, notes, portfolio, settings) has a version of its
own, bumped by every change to it, so a page rendered for one learner can be kept
under (content version, learner version) until either moves on.

Both versions are random tokens in the shared cache: a cache that was emptied never
hands out an old version's name again. With REDIS_URL set they are shared by every app
process."""

import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

VERSION_KEY = "content-version"
LEARNER_VERSION_KEY = "learner-version:{}"
TIMEOUT = 60 * 60
ANONYMOUS = "anonymous"


def _new_token() -> str:
    return uuid.uuid4().hex


def _token(key: str) -> str:
    """The token stored under `key`, made when there is none (the first process to ask
    wins, so all of them agree)."""
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), timeout=None)
        token = cache.get(key)
    return token


def _renew_now_and_on_commit(renew) -> None:
    """Renew a version at once and again when the current transaction commits: a page
    rendered in between, from data not yet committed, sits under a version nobody asks
    for again."""
    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


# One request reads the content version once and keeps it: fewer round trips to the
# cache, and every part of a page is built from the same content.
_request = threading.local()


def _request_start(**kwargs):
    _request.in_request, _request.content_version = True, None


def _request_end(**kwargs):
    _request.in_request, _request.content_version = False, None


request_started.connect(_request_start, dispatch_uid="content-version-request-start")
request_finished.connect(_request_end, dispatch_uid="content-version-request-end")


def content_version() -> str:
    """A token naming the current content."""
    version = getattr(_request, "content_version", None)
    if version is None:
        version = _token(VERSION_KEY)
        if getattr(_request, "in_request", False):
            _request.content_version = version
    return version


def _content_version_renew() -> None:
    version = _new_token()
    cache.set(VERSION_KEY, version, timeout=None)
    if getattr(_request, "in_request", False):
        _request.content_version = version


def content_cache_bump() -> None:
    """Invalidate every cached content read."""
    _renew_now_and_on_commit(_content_version_renew)


def content_cached(key: str, build):
    """The cached value of `build()` for the current content version."""
    versioned_key = f"content:{content_version()}:{key}"
    value = cache.get(versioned_key)
    if value is None:
        value = build()
        cache.set(versioned_key, value, TIMEOUT)
    return value


def page_versions(user) -> tuple[str, str]:
    """(content version, learner version); the learner version of a visitor who is not
    signed in is "anonymous"."""
    if not user.is_authenticated:
        return content_version(), ANONYMOUS
    learner = _token(LEARNER_VERSION_KEY.format(user.pk))
    return content_version(), f"{user.pk}:{learner}"


def learner_cache_bump(user_id: int) -> None:
    """Retire everything cached for this learner's pages."""
    key = LEARNER_VERSION_KEY.format(user_id)
    _renew_now_and_on_commit(lambda: cache.set(key, _new_token(), timeout=None))
