"""The path of a role: everything a learner really has to learn for it.

A role lists modules as core, recommended or optional. Its path is every active topic of
its core modules plus every topic those need first, transitively, wherever it lives (the
"groundwork"). Recommended modules make a second, optional stretch: their topics and what
they need that the core path does not already hold. Readiness, hours left, the ready-by
date, next-up, the plan and the map are all measured over the path.

The paths depend on content alone: they are computed for every role at once (three
queries), cached per content version and kept per process, read-only.
"""

from dataclasses import dataclass
from functools import cached_property

from careers.catalogue import catalogue
from common.cache import content_kept
from learning.graph import learning_order, with_prerequisites
from learning.maps import MapTopic
from learning.models import Topic

CORE = "core"  # a topic of a core module
GROUNDWORK = "groundwork"  # outside the core modules, needed by a core topic
RECOMMENDED = "recommended"  # on the optional stretch: recommended modules and their needs

KIND_RANK = {CORE: 0, GROUNDWORK: 0, RECOMMENDED: 1}


@dataclass(frozen=True, slots=True)
class PathTopic(MapTopic):
    """A topic on a role's path; `kind` says which part of it (CORE, GROUNDWORK,
    RECOMMENDED)."""

    @property
    def is_core(self) -> bool:
        """On the path that readiness counts (a core module's topic or its groundwork)."""
        return self.kind != RECOMMENDED


@dataclass(frozen=True)
class RolePath:
    role_id: int
    # The whole path in the order to learn it: prerequisites before what needs them, the
    # core path (with its groundwork) first, then the recommended stretch.
    topics: tuple[PathTopic, ...]
    # Direct prerequisites of each path topic (all of them lie on the path).
    prerequisites: dict[int, tuple[int, ...]]
    # For a groundwork topic, the first core topic (in path order) that needs it.
    needed_for: dict[int, int]
    # The modules the role lists, core first then recommended (ids, in module order).
    core_module_ids: tuple[int, ...] = ()
    recommended_module_ids: tuple[int, ...] = ()

    @cached_property
    def by_pk(self) -> dict[int, PathTopic]:
        return {topic.pk: topic for topic in self.topics}

    @cached_property
    def core_ids(self) -> frozenset[int]:
        """The topics readiness counts: core modules' topics and their groundwork."""
        return frozenset(t.pk for t in self.topics if t.is_core)

    @cached_property
    def recommended_ids(self) -> frozenset[int]:
        return frozenset(t.pk for t in self.topics if not t.is_core)

    def hours(self, kind: str) -> int:
        return sum(t.hours for t in self.topics if t.kind == kind)

    @cached_property
    def core_module_hours(self) -> int:
        return self.hours(CORE)

    @cached_property
    def groundwork_hours(self) -> int:
        return self.hours(GROUNDWORK)

    @cached_property
    def total_hours(self) -> int:
        """Hours of the path readiness counts: core modules and their groundwork."""
        return self.core_module_hours + self.groundwork_hours

    @cached_property
    def recommended_hours(self) -> int:
        return self.hours(RECOMMENDED)

    @cached_property
    def groundwork_module_ids(self) -> tuple[int, ...]:
        """Modules holding groundwork, in the order their first topic appears."""
        return tuple(dict.fromkeys(t.module_id for t in self.topics if t.kind == GROUNDWORK))


EMPTY_PATH = RolePath(role_id=0, topics=(), prerequisites={}, needed_for={})


def role_paths() -> dict[int, RolePath]:
    """The path of every active role, for the current content version."""
    return content_kept("role-paths", _role_paths_build)


def role_path(role) -> RolePath:
    """The path of one role (an empty path for a role with no active modules or an
    archived role)."""
    return role_paths().get(role.pk, EMPTY_PATH)


def _role_paths_build() -> dict[int, RolePath]:
    topics = {
        row[0]: row
        for row in Topic.objects.active().values_list(*PathTopic.COLUMNS, "module__order", "order")
    }
    prerequisites: dict[int, list[int]] = {pk: [] for pk in topics}
    for topic_id, prerequisite_id in Topic.prerequisites.through.objects.filter(
        from_topic__is_archived=False,
        from_topic__module__is_archived=False,
        to_topic__is_archived=False,
        to_topic__module__is_archived=False,
    ).values_list("from_topic_id", "to_topic_id"):
        prerequisites[topic_id].append(prerequisite_id)
    content = catalogue()
    requirements = {
        role_id: [(m, importance, content.modules[m].order) for m, importance in wanted]
        for role_id, wanted in content.requirements.items()
    }
    by_module: dict[int, list[int]] = {}
    for pk, row in topics.items():
        by_module.setdefault(row[4], []).append(pk)
    return {
        role_id: _path_build(role_id, wanted, topics, prerequisites, by_module)
        for role_id, wanted in requirements.items()
    }


def _path_build(role_id, requirements, topics, prerequisites, by_module) -> RolePath:
    modules = {kind: [] for kind in (CORE, RECOMMENDED)}
    for module_id, importance, _order in sorted(requirements, key=lambda r: (r[2], r[0])):
        if importance in modules:
            modules[importance].append(module_id)
    core_topics = [pk for m in modules[CORE] for pk in by_module.get(m, ())]
    kind: dict[int, str] = dict.fromkeys(core_topics, CORE)
    for pk in with_prerequisites(prerequisites, core_topics):
        kind.setdefault(pk, GROUNDWORK)
    recommended_topics = [pk for m in modules[RECOMMENDED] for pk in by_module.get(m, ())]
    for pk in with_prerequisites(prerequisites, recommended_topics):
        kind.setdefault(pk, RECOMMENDED)

    def sort_key(pk):
        row = topics[pk]
        return (KIND_RANK[kind[pk]], row[7], row[4], row[8], pk)

    order = learning_order(list(kind), prerequisites, sort_key)
    path_topics = tuple(PathTopic(*topics[pk][:7], kind=kind[pk]) for pk in order)
    # Walking back from each core topic in path order, a topic already reached was
    # reached, with everything it needs, from an earlier core topic.
    needed_for: dict[int, int] = {}
    reached: set[int] = set()
    for pk in order:
        if kind[pk] != CORE:
            continue
        stack = [pk]
        while stack:
            for prerequisite in prerequisites[stack.pop()]:
                if prerequisite not in reached:
                    reached.add(prerequisite)
                    stack.append(prerequisite)
                    if kind[prerequisite] == GROUNDWORK:
                        needed_for[prerequisite] = pk
    return RolePath(
        role_id=role_id,
        topics=path_topics,
        prerequisites={pk: tuple(prerequisites[pk]) for pk in order},
        needed_for=needed_for,
        core_module_ids=tuple(modules[CORE]),
        recommended_module_ids=tuple(modules[RECOMMENDED]),
    )
