"""Settings: time zone, study days and time, the weekly-email opt-in; weekly activity in
the learner's own time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.schedule import local_week_start, weekly_email_due_after
from learning.activity import activity
from learning.models import TopicState
from tests.learning.factories import TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


def schedule_data(**overrides):
    data = {
        "display_name": "Ada",
        "target_role": "",
        "weekly_hours": "6",
        "time_zone": "Asia/Tokyo",
        "study_days": ["1", "3"],
        "study_time": "07:30",
        "public_handle": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_settings_save_time_zone_study_days_time_and_weekly_email(learner_client, learner):
    response = learner_client.post(reverse("accounts:settings"), schedule_data(weekly_email="on"))

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.time_zone == "Asia/Tokyo"
    assert learner.study_weekdays == [1, 3]
    assert learner.study_time == time(7, 30)
    assert learner.weekly_email is True
    due_local = learner.weekly_email_due_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert (due_local.weekday(), due_local.time()) == (1, time(7, 30))


def test_opting_out_clears_the_next_due_email(learner_client, learner):
    learner_client.post(reverse("accounts:settings"), schedule_data(weekly_email="on"))
    learner_client.post(reverse("accounts:settings"), schedule_data())

    learner.refresh_from_db()
    assert learner.weekly_email is False
    assert learner.weekly_email_due_at is None


def test_settings_page_offers_time_zones_and_study_days(learner_client):
    html = learner_client.get(reverse("accounts:settings")).content.decode()

    assert '<option value="Europe/Paris">Europe/Paris</option>' in html
    assert '<option value="UTC" selected>UTC</option>' in html
    assert "<legend>Study days</legend>" in html
    assert 'type="time"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "time_zone",
            "Mars/Olympus_Mons",
            "Choose a time zone from the list, such as Europe/Paris.",
        ),
        ("time_zone", "", "Choose a time zone from the list, such as Europe/Paris."),
        ("study_days", [], "Choose at least one study day."),
        ("study_days", ["9"], "Choose days from the list."),
        ("study_time", "25:99", "Enter a time such as 18:30."),
        ("weekly_hours", "many", "Enter a whole number of hours from 1 to 100."),
    ],
)
def test_settings_say_why_a_schedule_value_is_refused(
    learner_client, learner, field, value, message
):
    response = learner_client.post(reverse("accounts:settings"), schedule_data(**{field: value}))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    learner.refresh_from_db()
    assert learner.time_zone == "UTC"


def test_weekly_email_is_due_on_the_first_study_day_at_the_study_time(learner):
    learner.time_zone, learner.study_days, learner.study_time = (
        "America/New_York",
        0b10100,
        time(19),
    )
    # Wednesday 2026-03-04 23:30 UTC is 18:30 in New York: today's 19:00 is still ahead.
    due = weekly_email_due_after(learner, datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    assert due == datetime(2026, 3, 5, 0, 0, tzinfo=UTC)
    # Half an hour later it is next Wednesday's.
    due = weekly_email_due_after(learner, datetime(2026, 3, 5, 0, 0, tzinfo=UTC))
    assert due.astimezone(UTC) == datetime(2026, 3, 11, 23, 0, tzinfo=UTC)  # after DST starts
    assert local_week_start(learner, due) == date(2026, 3, 9)


def test_weekly_activity_counts_weeks_in_the_learners_time_zone(learner):
    # Sunday 22:00 UTC is already Monday 07:00 in Tokyo: a new week there.
    topic = TopicFactory(hours=4)
    TopicStateFactory(
        user=learner,
        topic=topic,
        state=TopicState.State.DONE,
        completed_at=datetime(2026, 3, 8, 22, 0, tzinfo=UTC),
    )
    today = date(2026, 3, 10)

    learner.time_zone = "UTC"
    utc_weeks = {w.week_start: w.hours for w in activity(learner, today).weeks if w.hours}
    learner.time_zone = "Asia/Tokyo"
    tokyo_weeks = {w.week_start: w.hours for w in activity(learner, today).weeks if w.hours}

    assert utc_weeks == {date(2026, 3, 2): 4}
    assert tokyo_weeks == {date(2026, 3, 9): 4}
