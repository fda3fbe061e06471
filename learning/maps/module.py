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

    # The columns of a topic row that make one, in the order of the fields above.
    COLUMNS = ("pk", "slug", "title", "hours", "module_id", "module__slug", "module__title")


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
    rows = {
        row[0]: row
        for row in Topic.objects.active()
        .filter(module=module)
        .order_by("order", "pk")
        .values_list(*MapTopic.COLUMNS)
    }
    prerequisites: dict[int, list[int]] = {pk: [] for pk in rows}
    for topic_id, prerequisite_id in Topic.prerequisites.through.objects.filter(
        from_topic__in=rows, to_topic__in=rows
    ).values_list("from_topic_id", "to_topic_id"):
        prerequisites[topic_id].append(prerequisite_id)
    order = learning_order(list(rows), prerequisites)
    topics = tuple(MapTopic(*rows[pk]) for pk in order)
    layout = layout_build(order, {topic.pk: topic.title for topic in topics}, prerequisites)
    return ModuleMap(
        module_id=module.pk,
        topics=topics,
        prerequisites={pk: tuple(prerequisites[pk]) for pk in order},
        layout=layout,
    )
