"""The private calendar feed: parsed back with icalendar, its events follow the plan in the
learner's time zone, keep their UIDs and raise SEQUENCE when they change; its token is
shown once, replaceable and revocable, and any wrong token answers 404 the same way."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import StudyPlan
from careers.services import feed_token_create, feed_token_revoke
from common.fragments import fragments
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory, TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(learner):
    role = RoleFactory()
    module = ModuleFactory()
    RoleRequirementFactory(role=role, module=module, importance="core")
    topics = [
        TopicFactory(module=module, order=i, hours=4, title=title)
        for i, title in enumerate(["Tokens", "Attention", "Sampling", "Evaluations"])
    ]
    learner.target_role = role
    learner.weekly_hours = 6
    learner.time_zone = "Europe/Paris"
    learner.study_days = (1 << 2) | (1 << 5)  # Wednesday and Saturday
    learner.study_time = time(19, 30)
    learner.save()
    return topics


def feed(client, token):
    response = client.get(reverse("careers:plan-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content, icalendar.Calendar.from_ical(response.content)


def test_feed_has_one_event_per_week_on_the_first_study_day_in_the_learners_zone(
    client, learner, planned
):
    token = feed_token_create(user=learner)

    body, calendar = feed(client, token)

    events = calendar.events
    # 16 hours at 6 a week: three weeks.
    assert len(events) == 3
    starts = [event.DTSTART for event in events]
    assert all(start.tzinfo == ZoneInfo("Europe/Paris") for start in starts)
    assert all((start.weekday(), start.time()) == (2, time(19, 30)) for start in starts)
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [timedelta(weeks=1)] * 2
    first = events[0]
    assert str(first["SUMMARY"]) == "Study: Tokens and 1 more (6 h this week)"
    assert "• Tokens (4 h)" in str(first["DESCRIPTION"])
    assert "• Attention (2 h)" in str(first["DESCRIPTION"])
    assert "/plan/" in str(first["DESCRIPTION"])
    assert timedelta(hours=3) == first.DURATION  # six hours over two study days
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Paris" in body
    # Nothing but topic titles and hours about the learner.
    assert learner.email.encode() not in body
    assert learner.display_name.encode() not in body


def test_events_keep_their_uids_and_sequence_rises_only_when_the_plan_changes(
    client, learner, planned
):
    token = feed_token_create(user=learner)
    _, first = feed(client, token)
    _, again = feed(client, token)
    uids = [str(e["UID"]) for e in first.events]
    assert [str(e["UID"]) for e in again.events] == uids
    assert {int(e["SEQUENCE"]) for e in again.events} == {int(e["SEQUENCE"]) for e in first.events}

    TopicStateFactory(user=learner, topic=planned[0], state="skipped")
    _, changed = feed(client, token)

    assert [str(e["UID"]) for e in changed.events] == uids[:2]  # 12 hours left: two weeks
    assert int(changed.events[0]["SEQUENCE"]) == int(first.events[0]["SEQUENCE"]) + 1
    assert "Tokens" not in str(changed.events[0]["DESCRIPTION"])


@pytest.mark.parametrize(
    "token", ["unknown-" + "x" * 35, "short", "%E2%98%83" * 5, "a" * 400, "..", "x.ics"]
)
def test_unknown_and_malformed_tokens_answer_404(client, learner, planned, token):
    feed_token_create(user=learner)
    response = client.get(f"/plan/{token}.ics")
    assert response.status_code == 404


def test_a_wrong_token_costs_the_same_lookup_as_a_right_one(client, learner, planned):
    token = feed_token_create(user=learner)
    feed(client, token)  # settles the sequence
    fragments.clear()
    with CaptureQueriesContext(connection) as wrong:
        client.get(reverse("careers:plan-feed", args=["w" * len(token)]))
    with CaptureQueriesContext(connection) as right:
        client.get(reverse("careers:plan-feed", args=[token]))
    with CaptureQueriesContext(connection) as stored:
        client.get(reverse("careers:plan-feed", args=[token]))
    assert len(wrong) == 1
    # The same indexed lookup by hash, whatever the token.
    assert wrong[0]["sql"].split("WHERE")[0] == right[0]["sql"].split("WHERE")[0]
    # Built, the learner's plan then costs their states and their reviews due: nothing
    # per topic. Stored, the feed costs the lookup only.
    assert len(right) == 3
    assert len(stored) == 1


def test_a_replaced_or_revoked_token_answers_404(client, learner, planned):
    old = feed_token_create(user=learner)
    new = feed_token_create(user=learner)

    assert client.get(reverse("careers:plan-feed", args=[old])).status_code == 404
    assert client.get(reverse("careers:plan-feed", args=[new])).status_code == 200

    assert feed_token_revoke(user=learner) is True
    assert client.get(reverse("careers:plan-feed", args=[new])).status_code == 404
    assert feed_token_revoke(user=learner) is False


def test_only_a_hash_of_the_token_is_stored(learner, planned):
    token = feed_token_create(user=learner)
    stored = StudyPlan.objects.get(user=learner).feed_token_hash
    assert len(token) >= 43
    assert token not in stored and len(stored) == 64


def test_settings_show_a_new_address_once_and_can_replace_and_revoke_it(
    learner_client, learner, planned
):
    response = learner_client.post(reverse("accounts:feed-create"), follow=True)
    html = response.content.decode()
    feed_url = response.context["feed_url"]
    assert feed_url.startswith("http://testserver/plan/") and feed_url.endswith(".ics")
    assert f'value="{feed_url}"' in html
    assert 'href="webcal://testserver/plan/' in html
    assert learner_client.get(feed_url).status_code == 200

    again = learner_client.get(reverse("accounts:settings")).content.decode()
    assert feed_url not in again
    assert "Your feed is on." in again

    learner_client.post(reverse("accounts:feed-revoke"))
    assert learner_client.get(feed_url).status_code == 404
    assert (
        "Make a calendar address"
        in learner_client.get(reverse("accounts:settings")).content.decode()
    )


def test_a_stored_feed_follows_a_settings_change_at_once(client, learner, planned):
    token = feed_token_create(user=learner)
    feed(client, token)
    _, before = feed(client, token)  # the stored feed

    learner.study_time = time(7, 0)
    learner.time_zone = "Asia/Tokyo"
    learner.save()
    body, after = feed(client, token)

    assert before.events[0].DTSTART.time() == time(19, 30)
    assert after.events[0].DTSTART.time() == time(7, 0)
    assert after.events[0].DTSTART.tzinfo == ZoneInfo("Asia/Tokyo")
    assert b"TZID:Asia/Tokyo" in body and b"TZID:Europe/Paris" not in body
    assert int(after.events[0]["SEQUENCE"]) == int(before.events[0]["SEQUENCE"]) + 1


def test_the_feeds_time_zone_is_built_once_per_process(client, learner, planned, other_learner):
    from careers.calendar import vtimezone

    feed(client, feed_token_create(user=learner))
    built = vtimezone.cache_info().misses
    other_learner.time_zone = "Europe/Paris"
    other_learner.target_role = learner.target_role
    other_learner.save()

    body, _ = feed(client, feed_token_create(user=other_learner))

    assert vtimezone.cache_info().misses == built
    assert body.count(b"BEGIN:VTIMEZONE") == 1


def test_reviews_due_show_in_this_weeks_event(client, learner, planned):
    from tests.learning.factories import QuestionFactory

    reviewed = TopicFactory(hours=1)
    QuestionFactory(topic=reviewed)
    TopicStateFactory(user=learner, topic=reviewed, state="done", review_due_on=date(2020, 1, 1))

    _, calendar = feed(client, feed_token_create(user=learner))

    first = calendar.events[0]
    assert "• 1 review due (about 15 min)" in str(first["DESCRIPTION"])
    # An hour of the six goes to the review: Tokens and one hour of Attention.
    assert str(first["SUMMARY"]) == "Study: Tokens and 1 more (6 h this week)"
    assert "• Attention (1 h)" in str(first["DESCRIPTION"])
