"""Rendered HTML fragments, kept in each process's memory under a digest of their inputs.

A fragment's key names everything it shows: the content version, the learner version
and whatever ids and states it renders. A changed input is a new key, so an entry never
goes stale and needs no invalidation; that is what makes a per-process copy (no network,
no pickling) safe when several processes serve the same site. Memory is bounded by the
characters stored; the least recently used fragments go first.
"""

import datetime
import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.utils.functional import LazyObject, empty
from django.utils.safestring import mark_safe

# Forms inside a fragment carry this instead of the CSRF token, which belongs to one
# browser; the real token is put in when the fragment is served. User text can never
# produce it: it is secret to the process (fragments are too), and it starts with "<",
# which escaping turns into "&lt;" in anything a user typed (and the Markdown sanitiser
# drops comments). It is safe HTML, so `{% csrf_token %}` writes it as it is.
CSRF_PLACEHOLDER = mark_safe(f"<!--csrf-{secrets.token_hex(16)}-->")


class FragmentCache:
    """A thread-safe LRU of strings, bounded by their total size in characters."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: str) -> None:
        if len(value) > self.max_chars:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._chars -= len(old)
            self._entries[key] = value
            self._chars += len(value)
            while self._chars > self.max_chars:
                _, evicted = self._entries.popitem(last=False)
                self._chars -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_chars(self) -> int:
        return self._chars


fragments = FragmentCache(settings.FRAGMENT_CACHE_MAX_CHARS)


def _key_part(value):
    """A stable, hashable stand-in for a fragment input. Model instances count by
    identity (their fields are covered by the content or learner version that goes with
    them); anything that could not be told apart by value is refused."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    if value is None or isinstance(value, str | int | float | bool | datetime.date):
        return value
    if isinstance(value, Model):
        return (value._meta.label_lower, value.pk)
    if isinstance(value, list | tuple):
        return tuple(_key_part(item) for item in value)
    raise TypeError(f"{type(value).__name__} cannot be part of a fragment key.")


def fragment_key(name: str, inputs) -> str:
    digest = hashlib.blake2b(repr((name, _key_part(list(inputs)))).encode(), digest_size=20)
    return f"{name}:{digest.hexdigest()}"


@dataclass(frozen=True)
class StoredPage:
    """A page body kept in the fragment store, looked up by the view before it reads
    anything: when `html` is there the view skips its reads, and the template's
    `{% cachedfragment page %}` serves it; otherwise the template renders the body from
    what the view read, and stores it. The key is computed once, here, so the view and
    the template cannot disagree about it, and the HTML is taken at lookup time, so an
    eviction in between cannot leave the template without the context it needs."""

    key: str
    html: str | None

    @property
    def stored(self) -> bool:
        return self.html is not None


def stored_page(name: str, *inputs) -> StoredPage:
    """The stored body `name` for these inputs (which must name everything it shows:
    the content and learner versions and the ids and paths it renders), if stored."""
    key = fragment_key(name, inputs)
    return StoredPage(key, fragments.get(key))
