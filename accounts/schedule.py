"""When a learner's weekly email is next due: their first study day of the week, at their
study time, in their time zone."""

from datetime import date, datetime, timedelta

from common.timezones import learner_zone


def weekly_email_due_after(user, moment: datetime) -> datetime:
    """The first due moment strictly after `moment` (aware), in the learner's zone."""
    zone = learner_zone(user)
    local = moment.astimezone(zone)
    first_day = min(user.study_weekdays)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() == first_day:
            due = datetime.combine(day, user.study_time, tzinfo=zone)
            if due > moment:
                return due
    raise AssertionError("a weekday recurs within eight days")


def local_week_start(user, moment: datetime) -> date:
    """The Monday of the learner's week that holds `moment`."""
    day = moment.astimezone(learner_zone(user)).date()
    return day - timedelta(days=day.weekday())
