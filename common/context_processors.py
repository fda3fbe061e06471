from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property

from common.cache import page_versions as versions_of


class PageVersions:
    """`versions.content` and `versions.learner` for fragment keys, read from the cache
    the first time a template asks (pages without cached fragments never do)."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def _both(self) -> tuple[str, str]:
        return versions_of(self._user)

    @property
    def content(self) -> str:
        return self._both[0]

    @property
    def learner(self) -> str:
        return self._both[1]


def page_versions(request):
    # An error page for a request refused before authentication ran (a disallowed Host,
    # a body too large) has no request.user: it is rendered as for a visitor.
    return {"versions": PageVersions(getattr(request, "user", None) or AnonymousUser())}
