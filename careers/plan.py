"""A learner's study plan: their path toward the target role laid out week by week.

The path is `plan_topics()`: the role's path (core topics and the groundwork they build on,
each after its prerequisites), then the recommended stretch. The weeks are computed from
the learner's states, weekly hours and time zone, so the plan re-flows by itself whenever
any of them changes (the pages that show it store what they render under the learner's
version and the date, never longer).
Topics done this week stay in this week (they used its hours), and so do the reviews due
(REVIEW_MINUTES each); everything complete is otherwise gone, and the rest fills the
weeks from now on, a long topic spanning weeks.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from careers.models import Role, StudyPlan
from careers.path import PathTopic, role_path
from common.timezones import learner_zone
from learning.activity import week_start
from learning.checks import reviews_due
from learning.models import TopicState
from learning.querysets import COMPLETE_STATES

WEEKS_SHOWN = 12
# What one review (a question on a topic due again) is reckoned to take.
REVIEW_MINUTES = 15


# The path


def plan_topics(user, role: Role) -> list[PathTopic]:
    """The learner's path toward `role`, in the order to learn it: the role's path
    (careers/path.py: core topics with their groundwork, prerequisites first), then the
    recommended stretch. Content-only for now; it takes the learner so that a path that
    depends on them can replace it without touching its callers."""
    return list(role_path(role).topics)


# The weeks


@dataclass(slots=True)
class PlanItem:
    topic: PathTopic
    hours: int
    is_done: bool = False
    continued: bool = False  # began in an earlier week
    continues: bool = False  # goes on into the next week


def review_hours(reviews: int) -> int:
    """The whole hours that `reviews` reviews take out of a week (any part of an hour
    counts: the plan deals in whole hours)."""
    return math.ceil(reviews * REVIEW_MINUTES / 60)


@dataclass
class PlanWeek:
    start: date
    is_current: bool = False
    items: list[PlanItem] = field(default_factory=list)
    reviews_due: int = 0  # only this week has any: the reviews due today or earlier

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def review_minutes(self) -> int:
        return self.reviews_due * REVIEW_MINUTES

    @property
    def review_hours(self) -> int:
        return review_hours(self.reviews_due)

    @property
    def hours(self) -> int:
        """The week's planned hours: its topics' and its reviews'."""
        return sum(item.hours for item in self.items) + self.review_hours

    @property
    def hours_done(self) -> int:
        return sum(item.hours for item in self.items if item.is_done)

    @property
    def hours_to_do(self) -> int:
        return self.hours - self.hours_done


@dataclass
class Plan:
    role: Role
    weekly_hours: int
    today: date
    weeks: list[PlanWeek]
    total_weeks: int
    hours_left: int
    core_hours_left: int
    ready_on: date | None  # the day the last core topic is done; None when ready now
    committed_ready_on: date | None = None

    @property
    def more_weeks(self) -> int:
        return self.total_weeks - len(self.weeks)

    @property
    def projected_ready_on(self) -> date:
        return self.ready_on or self.today

    @property
    def days_ahead(self) -> int | None:
        """Days between the commitment and the projection: positive ahead, negative behind."""
        if self.committed_ready_on is None:
            return None
        return (self.committed_ready_on - self.projected_ready_on).days

    @property
    def days_behind(self) -> int:
        return -(self.days_ahead or 0)

    @property
    def last_week(self) -> date | None:
        return self.weeks[-1].start if self.weeks else None


def plan_build(
    user,
    role: Role,
    *,
    study_plan: StudyPlan | None = None,
    weeks_shown: int = WEEKS_SHOWN,
    now: datetime | None = None,
) -> Plan:
    """The learner's plan from this week on, the first `weeks_shown` weeks laid out (two
    queries: their complete states and a count of the reviews due; the path is cached).
    The reviews due take their hours out of this week first."""
    zone = learner_zone(user)
    now = (now or timezone.now()).astimezone(zone)
    today = now.date()
    this_week = week_start(today)
    week_began = datetime.combine(this_week, time.min, tzinfo=zone)
    path = plan_topics(user, role)
    states = {
        topic_id: (state, completed_at)
        for topic_id, state, completed_at in TopicState.objects.for_user(user)
        .filter(state__in=COMPLETE_STATES)
        .values_list("topic_id", "state", "completed_at")
    }
    weekly = max(user.weekly_hours, 1)
    current = PlanWeek(
        start=this_week, is_current=True, reviews_due=reviews_due(user, today).count()
    )
    remaining = []
    for topic in path:
        state, completed_at = states.get(topic.pk, (None, None))
        if state is None:
            remaining.append(topic)
        elif state == TopicState.State.DONE and completed_at and completed_at >= week_began:
            current.items.append(PlanItem(topic=topic, hours=topic.hours, is_done=True))
    weeks = [current]
    week_index, used = 0, current.hours
    core_end = None
    for topic in remaining:
        left, first = topic.hours, True
        while left > 0:
            if used >= weekly:
                week_index, used = week_index + 1, 0
                if week_index < weeks_shown:
                    weeks.append(PlanWeek(start=this_week + timedelta(weeks=week_index)))
                continue
            take = min(left, weekly - used)
            left, used = left - take, used + take
            if week_index < weeks_shown:
                weeks[-1].items.append(
                    PlanItem(topic=topic, hours=take, continued=not first, continues=left > 0)
                )
            first = False
        if topic.is_core:
            core_end = (week_index, used)
    ready_on = None
    if core_end is not None:
        index, hours = core_end
        ready_on = this_week + timedelta(weeks=index, days=math.ceil(hours * 7 / weekly) - 1)
        ready_on = max(ready_on, today)
    return Plan(
        role=role,
        weekly_hours=weekly,
        today=today,
        weeks=weeks,
        total_weeks=week_index + 1,
        hours_left=sum(topic.hours for topic in remaining),
        core_hours_left=sum(topic.hours for topic in remaining if topic.is_core),
        ready_on=ready_on,
        committed_ready_on=study_plan.committed_ready_on if study_plan else None,
    )
