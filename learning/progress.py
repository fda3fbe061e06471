"""A learner's progress, computed by the database in a handful of queries.

Readiness for a role is the share of estimated hours of the role's core modules that
the learner has done or skipped ("I already know this"). Archived topics and modules
stop counting but keep their history.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from careers.models import Role, RoleRequirement
from common.cache import content_cached, content_version
from learning.models import Module, PortfolioProject, Topic, TopicState
from learning.querysets import COMPLETE_STATES

ACTIVITY_WEEKS = 12


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded down so 99.6% never shows as ready."""
    if not whole:
        return 0
    return min(100, math.floor(part * 100 / whole))


@dataclass
class ModuleProgress:
    module: Module
    importance: str
    total_hours: int = 0
    done_hours: int = 0
    topic_count: int = 0
    done_count: int = 0

    @property
    def percent(self) -> int:
        return percent(self.done_hours, self.total_hours)

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
    module_hours = {
        row["module_id"]: (row["hours"], row["topics"])
        for row in Topic.objects.active()
        .values("module_id")
        .annotate(hours=Sum("hours"), topics=Count("id"))
        .order_by()
    }
    roles = {r.pk: r for r in Role.objects.active()}
    requirements: dict[int, list[tuple[int, str]]] = {pk: [] for pk in roles}
    for role_id, module_id, importance in RoleRequirement.objects.filter(
        role__is_archived=False, module__is_archived=False
    ).values_list("role_id", "module_id", "importance"):
        requirements[role_id].append((module_id, importance))
    return Catalogue(modules, module_hours, requirements, roles)


def done_by_module(user, module_ids=None) -> dict[int, tuple[int, int]]:
    """Per active module (or only those in `module_ids`), the hours and number of the
    learner's topics that are done or skipped (one grouped query over their states)."""
    if not user.is_authenticated:
        return {}
    rows = (
        TopicState.objects.for_user(user)
        .complete()
        .filter(topic__is_archived=False, topic__module__is_archived=False)
    )
    if module_ids is not None:
        rows = rows.filter(topic__module_id__in=module_ids)
    rows = (
        rows.values("topic__module_id")
        .annotate(hours=Sum("topic__hours"), topics=Count("id"))
        .order_by()
    )
    return {row["topic__module_id"]: (row["hours"], row["topics"]) for row in rows}


def learner_marks(user, topics: list[Topic]) -> list[Topic]:
    """Topics from `Topic.objects.for_rows()`, each (and each of its prerequisites) marked
    with the learner's `user_state`, `has_note` and `is_complete`, and given the list of
    `open_prerequisites` (one query over the learner's states; none for a visitor)."""
    marks = {}
    if user.is_authenticated:
        ids = {t.pk for t in topics} | {p.pk for t in topics for p in t.active_prerequisites}
        marks = {
            topic_id: (state, has_note)
            for topic_id, state, has_note in TopicState.objects.for_user(user)
            .filter(topic_id__in=ids)
            .annotate(has_note=ExpressionWrapper(~Q(note=""), output_field=BooleanField()))
            .values_list("topic_id", "state", "has_note")
        }
    for topic in topics:
        for item in (topic, *topic.active_prerequisites):
            item.user_state, item.has_note = marks.get(item.pk, ("not_started", False))
            item.is_complete = item.user_state in COMPLETE_STATES
        topic.open_prerequisites = [p for p in topic.active_prerequisites if not p.is_complete]
    return topics


def role_progress(user, role: Role, done: dict | None = None) -> RoleProgress:
    """Per-module hours for every module the role requires."""
    content = catalogue()
    requirements = content.requirements.get(role.pk, [])
    if done is None:
        done = done_by_module(user, [module_id for module_id, _ in requirements])
    modules = []
    for module_id, importance in requirements:
        total_hours, topic_count = content.module_hours.get(module_id, (0, 0))
        done_hours, done_count = done.get(module_id, (0, 0))
        modules.append(
            ModuleProgress(
                module=content.modules[module_id],
                importance=importance,
                total_hours=total_hours,
                done_hours=done_hours,
                topic_count=topic_count,
                done_count=done_count,
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
        done_hours = sum(done.get(module_id, (0, 0))[0] for module_id in core)
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


CHART_HEIGHT = 120
CHART_BAR_STEP = 50


@dataclass
class WeekActivity:
    week_start: date
    hours: int
    index: int = 0
    bar_height: int = 0

    @property
    def x(self) -> int:
        return 30 + self.index * CHART_BAR_STEP

    @property
    def y(self) -> int:
        return 10 + CHART_HEIGHT - self.bar_height


@dataclass
class Activity:
    weeks: list[WeekActivity]
    streak_weeks: int

    @property
    def total_hours(self) -> int:
        return sum(w.hours for w in self.weeks)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _done_hours_by_week(user, since: date | None = None) -> dict[date, int]:
    """Hours of topics marked done per week (Monday) since a date, or ever."""
    rows = TopicState.objects.for_user(user).filter(state=TopicState.State.DONE)
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, time.min))
        rows = rows.filter(completed_at__gte=start)
    rows = (
        rows.annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(hours=Sum("topic__hours"))
        .order_by()
    )
    hours_by_week: dict[date, int] = {}
    for row in rows:
        week = row["week"]
        week_day = week.date() if isinstance(week, datetime) else week
        hours_by_week[week_start(week_day)] = row["hours"] or 0
    return hours_by_week


def activity(user, today: date | None = None) -> Activity:
    """Hours of topics marked done per week over the last twelve weeks, and the
    current streak of consecutive weeks with something done (one query; a second only
    for a streak longer than the chart)."""
    today = today or timezone.localdate()
    this_week = week_start(today)
    first_week = this_week - timedelta(weeks=ACTIVITY_WEEKS - 1)
    hours_by_week = _done_hours_by_week(user, since=first_week)
    weeks = [
        WeekActivity(week_start=first_week + timedelta(weeks=i), hours=0)
        for i in range(ACTIVITY_WEEKS)
    ]
    most = max(hours_by_week.values(), default=0) or 1
    for index, week in enumerate(weeks):
        week.index = index
        week.hours = hours_by_week.get(week.week_start, 0)
        week.bar_height = round(week.hours * CHART_HEIGHT / most)
    # A streak survives a week that has only just begun: count from last week
    # when nothing is done yet this week.
    cursor = this_week if hours_by_week.get(this_week) else this_week - timedelta(weeks=1)
    streak = 0
    while hours_by_week.get(cursor):
        streak += 1
        cursor -= timedelta(weeks=1)
        if cursor < first_week and len(hours_by_week) <= ACTIVITY_WEEKS:
            hours_by_week = _done_hours_by_week(user)
    return Activity(weeks=weeks, streak_weeks=streak)


@dataclass
class Evidence:
    module: Module
    projects: list[PortfolioProject]


def evidence(user, progress: RoleProgress) -> list[Evidence]:
    """For each core module of the role, the learner's done projects that demonstrate it
    (one query)."""
    core_ids = [m.module.pk for m in progress.core_modules]
    projects = (
        PortfolioProject.objects.for_user(user)
        .filter(status=PortfolioProject.Status.DONE, modules__in=core_ids)
        .annotate(demonstrated_module_id=F("modules"))
        .order_by("title", "pk")
    )
    by_module: dict[int, list[PortfolioProject]] = {pk: [] for pk in core_ids}
    for project in projects:
        by_module[project.demonstrated_module_id].append(project)
    return [
        Evidence(module=m.module, projects=by_module[m.module.pk]) for m in progress.core_modules
    ]
