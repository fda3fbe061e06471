"""Cached reads and the versions that keep them honest.

Content changes rarely and is read on every page, so the pieces of pages that depend on
content alone are cached under a content version. Any content write bumps the version
(signals for single saves, including the admin's; bulk writers such as the content loader
bump it explicitly), so a stale page is never served.

A learner's own data (topic states, notes, portfolio, settings) has a version of its
own, bumped by every change to it, so a page rendered for one learner can be kept
under (content version, learner version) until either moves on.

Both versions are random tokens kept in the `versions` cache, which every process of the
site sees: Redis when REDIS_URL is set, otherwise a file-based store that the processes of
one machine share. So a save answered by one worker retires the pages of every worker.
Whatever is kept per process (cached reads, rendered fragments) is keyed by these tokens,
so it cannot be served once a token moves on. A token that is lost (evicted, expired,
emptied store) is simply made anew: that costs a rebuild, never a stale page.
"""

import uuid
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.db import transaction

VERSION_KEY = "content-version"
LEARNER_VERSION_KEY = "learner-version:{}"
TIMEOUT = 60 * 60
# A learner who comes back after a month gets their pages rebuilt once; the store stays
# bounded by the learners active in that time.
LEARNER_VERSION_TIMEOUT = 30 * 24 * 60 * 60
ANONYMOUS = "anonymous"


def _versions():
    return caches["versions"]


def _new_token() -> str:
    return uuid.uuid4().hex


def _token(key: str, timeout: int | None) -> str:
    """The token stored under `key`, made when there is none (the first process to ask
    wins, so all of them agree)."""
    store = _versions()
    token = store.get(key)
    if token is None:
        store.add(key, _new_token(), timeout=timeout)
        token = store.get(key)
    return token


def _renew_now_and_on_commit(renew) -> None:
    """Renew a version at once and again when the current transaction commits: a page
    rendered in between, from data not yet committed, sits under a version nobody asks
    for again."""
    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


# One request reads the content version once and keeps it: fewer round trips to the
# store, and every part of a page is built from the same content. A context variable,
# set by `RequestVersionMiddleware`, is private to its request under WSGI threads and
# ASGI tasks alike; outside a request it is unset and every call reads the store.
_request_content_version: ContextVar[list | None] = ContextVar("content_version", default=None)


class RequestVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _request_content_version.set([None])
        try:
            return self.get_response(request)
        finally:
            _request_content_version.reset(reset)


def content_version() -> str:
    """A token naming the current content."""
    slot = _request_content_version.get()
    if slot is not None and slot[0] is not None:
        return slot[0]
    version = _token(VERSION_KEY, None)
    if slot is not None:
        slot[0] = version
    return version


def _content_version_renew() -> None:
    version = _new_token()
    _versions().set(VERSION_KEY, version, timeout=None)
    slot = _request_content_version.get()
    if slot is not None:
        slot[0] = version


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


# Per process, the newest content version's large read-only reads, by key.
_kept: dict[str, tuple[str, object]] = {}


def content_kept(key: str, build):
    """`content_cached`, and the unpickled value kept in this process until the content
    version moves on: for large read-only reads (the catalogue, the roles' paths) that
    every page uses, where unpickling them on each request costs more than using them.
    One value per key, so what is kept stays bounded."""
    version = content_version()
    kept = _kept.get(key)
    if kept is None or kept[0] != version:
        kept = (version, content_cached(key, build))
        _kept[key] = kept
    return kept[1]


def learner_version(user_id: int) -> str:
    return _token(LEARNER_VERSION_KEY.format(user_id), LEARNER_VERSION_TIMEOUT)


def page_versions(user) -> tuple[str, str]:
    """(content version, learner version); the learner version of a visitor who is not
    signed in is "anonymous"."""
    if not user.is_authenticated:
        return content_version(), ANONYMOUS
    return content_version(), f"{user.pk}:{learner_version(user.pk)}"


def learner_cache_bump(user_id: int) -> None:
    """Retire everything cached for this learner's pages."""
    key = LEARNER_VERSION_KEY.format(user_id)
    _renew_now_and_on_commit(
        lambda: _versions().set(key, _new_token(), timeout=LEARNER_VERSION_TIMEOUT)
    )
