"""What changed in the content since a learner last looked: shown once on the dashboard.

Every load of the content pack that changes something records a `ContentVersion` (with
the topics it added, carried over and retired). The learner's row keeps the number of the
last version their dashboard told them about (`content_version_seen`, read with the user,
so a dashboard with nothing new costs no query). When newer versions exist the dashboard
shows, once, the new topics on their path, the topics whose progress a content change
carried over, and the retired topics they had touched.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Max

from careers.catalogue import catalogue
from careers.models import ContentVersion
from careers.path import role_path
from common.cache import content_cached
from learning.models import Topic, TopicState, TopicStateChange


@dataclass
class SinceLastVisit:
    versions: list[ContentVersion]
    new_topics: list = field(default_factory=list)  # PathTopic on the learner's path
    carried_over: list[Topic] = field(default_factory=list)
    retired: list[Topic] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_topics or self.carried_over or self.retired)


def latest_content_version() -> int:
    """The number of the newest content version, 0 before any load (cached content)."""
    return content_cached(
        "latest-content-version",
        lambda: ContentVersion.objects.aggregate(latest=Max("number"))["latest"] or 0,
    )


def since_last_visit(user) -> SinceLastVisit | None:
    """What changed since the learner's dashboard last told them, and mark it told: the
    answer is given once. None when nothing is new to them (no query then, beyond the
    cached latest number), and on a first visit, which has no "last" to compare with."""
    latest = latest_content_version()
    seen = user.content_version_seen
    if seen == latest:
        return None
    get_user_model().objects.filter(pk=user.pk).update(content_version_seen=latest)
    user.content_version_seen = latest
    if seen is None or seen > latest:
        return None
    versions = list(ContentVersion.objects.filter(number__gt=seen, number__lte=latest))
    added = {slug for version in versions for slug in version.added_topics}
    retired = {slug for version in versions for slug in version.retired_topics}
    role = catalogue().roles.get(user.target_role_id)
    path = role_path(role) if role is not None else None
    changes = SinceLastVisit(
        versions=versions,
        new_topics=[t for t in path.topics if t.slug in added] if path else [],
        carried_over=list(
            Topic.objects.filter(
                pk__in=TopicStateChange.objects.filter(
                    user=user, content_version__gt=seen, content_version__lte=latest
                ).values("topic_id")
            )
            .select_related("module")
            .order_by("title")
        ),
        retired=list(
            Topic.objects.filter(
                slug__in=retired,
                pk__in=TopicState.objects.for_user(user).values("topic_id"),
            ).order_by("title")
        )
        if retired
        else [],
    )
    return changes or None
