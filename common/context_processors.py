from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property

from common.cache import content_version
from common.cache import page_versions as versions_of


class PageVersions:
    """`versions.content` and `versions.learner` for fragment keys, each read the first
    time a template asks (pages without cached fragments never do; a fragment keyed by
    content alone, such as a topic row, never reads the learner's)."""

    def __init__(self, user):
        self._user = user

    @property
    def content(self) -> str:
        return content_version()  # kept for the request once read

    @cached_property
    def learner(self) -> str:
        return versions_of(self._user)[1]


def page_versions(request):
    # An error page for a request refused before authentication ran (a disallowed Host,
    # a body too large) has no request.user: it is rendered as for a visitor.
    return {"versions": PageVersions(getattr(request, "user", None) or AnonymousUser())}
