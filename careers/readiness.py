"""Readiness toward a role, from the learner's progress on learning content.

Readiness is the share of estimated hours of the role's core modules that the learner has
done or skipped ("I already know this"). The figures per module come from learning
(`done_by_module`, `module_totals`); this module weighs them by what each role requires.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from careers.models import Role, RoleRequirement
from common.cache import content_cached, content_version
from learning.models import Module, PortfolioProject, Topic
from learning.progress import NOTHING_DONE, done_by_module, module_totals, percent


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
class RoleProgress:
    """Progress toward one role: core modules weigh in, the rest are shown beside."""

    role: Role
    modules: list[ModuleProgress] = field(default_factory=list)

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
        return sum(m.total_hours for m in self.core_modules)

    @property
    def done_hours(self) -> int:
        return sum(m.done_hours for m in self.core_modules)

    @property
    def hours_left(self) -> int:
        return self.total_hours - self.done_hours

    @property
    def readiness_percent(self) -> int:
        return percent(self.done_hours, self.total_hours)

    @property
    def verified_hours(self) -> int:
        return sum(m.verified_hours for m in self.core_modules)

    @property
    def verified_percent(self) -> int:
        """The share of core hours backed by a passed check, not only a tick."""
        return percent(self.verified_hours, self.total_hours)

    @property
    def recommended_total_hours(self) -> int:
        return sum(m.total_hours for m in self.recommended_modules)

    @property
    def recommended_done_hours(self) -> int:
        return sum(m.done_hours for m in self.recommended_modules)

    @property
    def recommended_percent(self) -> int:
        return percent(self.recommended_done_hours, self.recommended_total_hours)


@dataclass(frozen=True)
class Catalogue:
    """The content figures progress is measured against: per active module its hours
    and topic count, and per active role the modules it requires. Content-only, so it
    is computed once per content version and cached (three queries on a miss)."""

    modules: dict[int, Module]
    module_hours: dict[int, tuple[int, int]]
    requirements: dict[int, list[tuple[int, str]]]
    roles: dict[int, Role]


_catalogue_memo: dict[int, Catalogue] = {}


def catalogue() -> Catalogue:
    """The catalogue for the current content version. The unpickled copy is kept per
    process too: it is read-only, and unpickling it on every request costs more than the
    rest of a dashboard's Python."""
    version = content_version()
    memo = _catalogue_memo.get(version)
    if memo is None:
        memo = content_cached("progress-catalogue", _catalogue_build)
        _catalogue_memo.clear()
        _catalogue_memo[version] = memo
    return memo


def _catalogue_build() -> Catalogue:
    modules = {m.pk: m for m in Module.objects.active()}
    module_hours = module_totals()
    roles = {r.pk: r for r in Role.objects.active()}
    requirements: dict[int, list[tuple[int, str]]] = {pk: [] for pk in roles}
    for role_id, module_id, importance in RoleRequirement.objects.filter(
        role__is_archived=False, module__is_archived=False
    ).values_list("role_id", "module_id", "importance"):
        requirements[role_id].append((module_id, importance))
    return Catalogue(modules, module_hours, requirements, roles)


def role_progress(user, role: Role, done: dict | None = None) -> RoleProgress:
    """Per-module hours for every module the role requires."""
    content = catalogue()
    requirements = content.requirements.get(role.pk, [])
    if done is None:
        done = done_by_module(user, [module_id for module_id, _ in requirements])
    modules = []
    for module_id, importance in requirements:
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
    return RoleProgress(role=role, modules=modules)


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


def readiness_by_role(user, done: dict | None = None) -> list[RoleReadiness]:
    """Readiness toward every active role from the same topic states, nearest first.
    Roles without core hours are left out. Sums per-module figures, never topics."""
    content = catalogue()
    done = done_by_module(user) if done is None else done
    results = []
    for role_id, requirements in content.requirements.items():
        core = [module_id for module_id, importance in requirements if importance == "core"]
        total = sum(content.module_hours.get(module_id, (0, 0))[0] for module_id in core)
        if not total:
            continue
        done_hours = sum(done.get(module_id, NOTHING_DONE).hours for module_id in core)
        results.append(RoleReadiness(content.roles[role_id], total, done_hours))
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
    """For each core module of the role, the learner's done projects that demonstrate it,
    and those in progress that will (one query)."""
    core_ids = [m.module.pk for m in progress.core_modules]
    status = PortfolioProject.Status
    projects = (
        PortfolioProject.objects.for_user(user)
        .filter(status__in=[status.DONE, status.IN_PROGRESS], modules__in=core_ids)
        .annotate(demonstrated_module_id=F("modules"))
        .order_by("title", "pk")
    )
    by_module = {
        pk: Evidence(module=progress_module, projects=[])
        for pk, progress_module in ((m.module.pk, m.module) for m in progress.core_modules)
    }
    for project in projects:
        item = by_module[project.demonstrated_module_id]
        (item.projects if project.status == status.DONE else item.in_progress).append(project)
    return [by_module[m.module.pk] for m in progress.core_modules]


def role_topics(role: Role):
    """Active topics of the modules the role requires, annotated with `importance_rank`
    (0 core, 1 recommended, 2 optional), from the cached catalogue."""
    requirements = catalogue().requirements.get(role.pk, [])
    by_rank: dict[int, list[int]] = {0: [], 1: [], 2: []}
    for module_id, importance in requirements:
        by_rank[IMPORTANCE_RANK[importance]].append(module_id)
    return (
        Topic.objects.active()
        .filter(module_id__in=[module_id for module_id, _ in requirements])
        .annotate(
            importance_rank=Case(
                When(module_id__in=by_rank[0], then=Value(0)),
                When(module_id__in=by_rank[1], then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    )


def next_up(user, role: Role, limit: int = 5):
    """The next topics to learn for a role: not complete, prerequisites met, core modules
    first, then in module and topic order (one query)."""
    return (
        role_topics(role)
        .with_user_state(user)
        .with_prerequisites_met(user)
        .filter(is_complete=False, prerequisites_met=True)
        .select_related("module")
        .order_by("importance_rank", "module__order", "module__id", "order", "id")[:limit]
    )
