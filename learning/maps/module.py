"""The map of one module: its active topics and the prerequisites between them, laid out
once per content version and kept per process."""

from dataclasses import dataclass

from common.cache import content_kept
from learning.graph import learning_order
from learning.maps.layout import MapLayout, layout_build
from learning.models import Topic


@dataclass(frozen=True, slots=True)
class MapTopic:
    """A topic as a map draws it (a role's path extends it: careers.path.PathTopic)."""

    pk: int
    slug: str
    title: str
    hours: int
    module_id: int
    module_slug: str
    module_title: str
    kind: str = ""


@dataclass(frozen=True)
class ModuleMap:
    module_id: int
    topics: tuple[MapTopic, ...]  # in learning order
    prerequisites: dict[int, tuple[int, ...]]  # within the module
    layout: MapLayout


def module_map(module) -> ModuleMap:
    """The map of one module's active topics and the prerequisites between them, for the
    current content version (laid out once, then kept per process)."""
    return content_kept(f"module-map:{module.pk}", lambda: _module_map_build(module))


def _module_map_build(module) -> ModuleMap:
    rows = list(
        Topic.objects.active()
        .filter(module=module)
        .order_by("order", "pk")
        .values_list("pk", "slug", "title", "hours")
    )
    ids = {row[0] for row in rows}
    prerequisites: dict[int, list[int]] = {pk: [] for pk in ids}
    for topic_id, prerequisite_id in Topic.prerequisites.through.objects.filter(
        from_topic__in=ids, to_topic__in=ids
    ).values_list("from_topic_id", "to_topic_id"):
        prerequisites[topic_id].append(prerequisite_id)
    order = learning_order([row[0] for row in rows], prerequisites)
    by_pk = {row[0]: row for row in rows}
    topics = tuple(
        MapTopic(
            pk=pk,
            slug=by_pk[pk][1],
            title=by_pk[pk][2],
            hours=by_pk[pk][3],
            module_id=module.pk,
            module_slug=module.slug,
            module_title=module.title,
        )
        for pk in order
    )
    layout = layout_build(order, {pk: by_pk[pk][2] for pk in order}, prerequisites)
    return ModuleMap(
        module_id=module.pk,
        topics=topics,
        prerequisites={pk: tuple(prerequisites[pk]) for pk in order},
        layout=layout,
    )
