"""A learner's weekly activity: hours of topics done per week, in their time zone, over
the dashboard's chart, and the streak of weeks with something done."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from common.timezones import learner_zone
from learning.models import TopicState

ACTIVITY_WEEKS = 12

# The chart's drawing units: 480 wide, drawn about 350 px wide in the dashboard's side
# column, so its 20-unit text shows at about 15 px.
CHART_HEIGHT = 110
CHART_BAR_STEP = 38
LABEL_EVERY = 3


@dataclass
class WeekActivity:
    week_start: date
    hours: int
    index: int = 0
    bar_height: int = 0

    @property
    def x(self) -> int:
        return 14 + self.index * CHART_BAR_STEP

    @property
    def labelled(self) -> bool:
        """Every third week carries its date under the axis, and the current week."""
        return self.index % LABEL_EVERY == 0 or self.index == ACTIVITY_WEEKS - 1

    @property
    def y(self) -> int:
        return 24 + CHART_HEIGHT - self.bar_height


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
    """Hours of topics marked done per week (Monday, in the learner's time zone) since a
    date, or ever."""
    zone = learner_zone(user)
    rows = TopicState.objects.for_user(user).filter(state=TopicState.State.DONE)
    if since is not None:
        rows = rows.filter(completed_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    rows = (
        rows.annotate(week=TruncWeek("completed_at", tzinfo=zone))
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
    current streak of consecutive weeks with something done, with weeks and today in the
    learner's time zone (one query; a second only for a streak longer than the chart)."""
    today = today or timezone.localdate(timezone=learner_zone(user))
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
