"""Readiness toward a role, from the learner's progress on learning content.

Readiness is the share of estimated hours of the role's path (careers/path.py: its core
modules' topics and the groundwork they build on, wherever it lives) that the learner has
done or skipped ("I already know this"). The learner's complete topics come from one query
(`learning.progress.done_by_module`); the path and the per-module totals are cached
content, so every figure here is arithmetic over those two.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from careers.catalogue import catalogue
from careers.models import Role, RoleRequirement
from careers.path import GROUNDWORK, RolePath, role_path, role_paths
from learning.graph import next_steps
from learning.models import Module, PortfolioProject, Topic
from learning.progress import NOTHING_DONE, LearnerDone, done_by_module, learner_marks, percent


@dataclass
class ModuleProgress:
    module: Module
    importance: str
    total_hours: int = 0
    done_hours: int = 0
    topic_count: int = 0
    done_count: int = 0
    verified_hours: int = 0
    verified_count: int = 0

    @property
    def percent(self) -> int:
        return percent(self.done_hours, self.total_hours)

    @property
    def verified_percent(self) -> int:
        return percent(self.verified_hours, self.total_hours)

    @property
    def hours_left(self) -> int:
        return self.total_hours - self.done_hours


@dataclass
class GroundworkProgress:
    """The groundwork a role's path takes from one module outside its core modules."""

    module: Module
    total_hours: int = 0
    done_hours: int = 0
    topic_count: int = 0

    @property
    def percent(self) -> int:
        return percent(self.done_hours, self.total_hours)


@dataclass
class RoleProgress:
    """Progress toward one role over its path; the modules it lists are shown beside, each
    whole, and the groundwork by module."""

    role: Role
    path: RolePath
    modules: list[ModuleProgress] = field(default_factory=list)
    groundwork: list[GroundworkProgress] = field(default_factory=list)
    done_hours: int = 0
    verified_hours: int = 0
    recommended_done_hours: int = 0

    @property
    def core_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.importance == RoleRequirement.Importance.CORE]

    @property
    def recommended_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.importance == RoleRequirement.Importance.RECOMMENDED]

    @property
    def optional_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.importance == RoleRequirement.Importance.OPTIONAL]

    @property
    def total_hours(self) -> int:
        """Hours of the path: core modules and the groundwork they build on."""
        return self.path.total_hours

    @property
    def core_module_hours(self) -> int:
        return self.path.core_module_hours

    @property
    def groundwork_hours(self) -> int:
        return self.path.groundwork_hours

    @property
    def hours_left(self) -> int:
        return self.total_hours - self.done_hours

    @property
    def readiness_percent(self) -> int:
        return percent(self.done_hours, self.total_hours)

    @property
    def verified_percent(self) -> int:
        """The share of path hours backed by a passed check, not only a tick."""
        return percent(self.verified_hours, self.total_hours)

    @property
    def recommended_total_hours(self) -> int:
        return self.path.recommended_hours

    @property
    def recommended_percent(self) -> int:
        return percent(self.recommended_done_hours, self.recommended_total_hours)


def role_progress(user, role: Role, done: LearnerDone | None = None) -> RoleProgress:
    """The learner's progress over the role's path, with per-module figures for every
    module the role lists and for the groundwork (one query, none when `done` is given)."""
    content = catalogue()
    path = role_path(role)
    if done is None:
        done = done_by_module(user)
    modules = []
    for module_id, importance in content.requirements.get(role.pk, []):
        total_hours, topic_count = content.module_hours.get(module_id, (0, 0))
        done_here = done.get(module_id, NOTHING_DONE)
        modules.append(
            ModuleProgress(
                module=content.modules[module_id],
                importance=importance,
                total_hours=total_hours,
                done_hours=done_here.hours,
                topic_count=topic_count,
                done_count=done_here.topics,
                verified_hours=done_here.verified_hours,
                verified_count=done_here.verified_topics,
            )
        )
    modules.sort(key=lambda m: (IMPORTANCE_RANK[m.importance], m.module.order, m.module.pk))
    groundwork: dict[int, GroundworkProgress] = {}
    for topic in path.topics:
        if topic.kind == GROUNDWORK:
            item = groundwork.setdefault(
                topic.module_id, GroundworkProgress(module=content.modules[topic.module_id])
            )
            item.total_hours += topic.hours
            item.topic_count += 1
            item.done_hours += topic.hours if topic.pk in done.topics else 0
    done_hours, verified_hours = done.hours(path.core_ids)
    return RoleProgress(
        role=role,
        path=path,
        modules=modules,
        groundwork=list(groundwork.values()),
        done_hours=done_hours,
        verified_hours=verified_hours,
        recommended_done_hours=done.hours(path.recommended_ids)[0],
    )


IMPORTANCE_RANK = {"core": 0, "recommended": 1, "optional": 2}


@dataclass
class RoleReadiness:
    role: Role
    total_hours: int
    done_hours: int

    @property
    def readiness_percent(self) -> int:
        return percent(self.done_hours, self.total_hours)

    @property
    def hours_left(self) -> int:
        return self.total_hours - self.done_hours


def readiness_by_role(user, done: LearnerDone | None = None) -> list[RoleReadiness]:
    """Readiness toward every active role over its path from the same topic states,
    nearest first. Roles with an empty path are left out."""
    content = catalogue()
    done = done_by_module(user) if done is None else done
    results = []
    for role_id, path in role_paths().items():
        if not path.total_hours or role_id not in content.roles:
            continue
        done_hours = done.hours(path.core_ids)[0]
        results.append(RoleReadiness(content.roles[role_id], path.total_hours, done_hours))
    results.sort(key=lambda r: (-r.readiness_percent, r.hours_left, r.role.order, r.role.pk))
    return results


def ready_on(hours_left: int, weekly_hours: int, today: date | None = None) -> date | None:
    """The date a learner is ready at their weekly pace; None when already ready."""
    if hours_left <= 0:
        return None
    today = today or timezone.localdate()
    weeks = hours_left / max(weekly_hours, 1)
    return today + timedelta(days=math.ceil(weeks * 7))


@dataclass
class Evidence:
    module: Module
    projects: list[PortfolioProject]
    in_progress: list[PortfolioProject] = field(default_factory=list)


def evidence(user, progress: RoleProgress) -> list[Evidence]:
    """For each module of the role's path (core modules, then those holding groundwork),
    the learner's done projects that demonstrate it, and those in progress that will (one
    query)."""
    path_modules = [m.module for m in progress.core_modules] + [
        g.module for g in progress.groundwork
    ]
    status = PortfolioProject.Status
    projects = (
        PortfolioProject.objects.for_user(user)
        .filter(
            status__in=[status.DONE, status.IN_PROGRESS],
            modules__in=[module.pk for module in path_modules],
        )
        .annotate(demonstrated_module_id=F("modules"))
        .order_by("title", "pk")
    )
    by_module = {module.pk: Evidence(module=module, projects=[]) for module in path_modules}
    for project in projects:
        item = by_module[project.demonstrated_module_id]
        (item.projects if project.status == status.DONE else item.in_progress).append(project)
    return list(by_module.values())


def next_up_ids(path: RolePath, done: LearnerDone, limit: int = 5) -> list[int]:
    """The ids of `next_up`'s topics (no query): `learning.graph.next_steps` over the path,
    its recommended stretch last."""
    return next_steps(
        [t.pk for t in path.topics],
        path.prerequisites,
        done.topics,
        limit=limit,
        stretch=path.recommended_ids,
    )


def next_up(user, role: Role, done: LearnerDone | None = None, limit: int = 5) -> list[Topic]:
    """The next topics to learn for a role: not complete, every prerequisite complete;
    the core path (core modules and their groundwork) before the recommended stretch;
    within each, topics that open the way to others before those nothing on the path
    needs (foundations before leaves such as a second programming language), then in
    path order. As topic rows show them (`for_rows()`, `learner_marks()`), each with
    `needed_for`: for groundwork, the core topic that needs it (three queries, four
    without `done`)."""
    path = role_path(role)
    done = done_by_module(user) if done is None else done
    chosen = next_up_ids(path, done, limit)
    rows = {topic.pk: topic for topic in Topic.objects.filter(pk__in=chosen).for_rows()}
    topics = learner_marks(user, [rows[pk] for pk in chosen if pk in rows])
    for topic in topics:
        needed_for = path.needed_for.get(topic.pk)
        topic.needed_for = path.by_pk[needed_for] if needed_for else None
    return topics
