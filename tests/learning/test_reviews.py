"""Spaced review with a fixed clock: due dates in the learner's days, widening intervals,
a missed topic back soon and marked "needs review" (still done, verification stale)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.timezones import learner_today
from learning.checks import REVIEW_TOPICS_MAX, reviews_due
from learning.models import CheckAttempt, TopicState
from learning.progress import done_by_module
from learning.reviews import next_review_on
from learning.services import topic_note_set, topic_state_set
from tests.learning.factories import ModuleFactory, QuestionFactory, TopicFactory
from tests.learning.test_checks import answers_for, attempt_url

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = MONDAY

        def advance(self, **delta):
            self.now += dt.timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def topics_with_questions(count, module=None):
    module = module or ModuleFactory()
    topics = [TopicFactory(module=module, order=i, hours=2) for i in range(count)]
    for topic in topics:
        QuestionFactory(topic=topic)
    return topics


def review_session(client) -> CheckAttempt:
    response = client.post(reverse("learning:review"))
    assert response.status_code == 302, response.content
    return CheckAttempt.objects.filter(kind="review").latest("started_at")


def test_a_topic_marked_done_comes_due_three_days_later(learner, clock):
    (topic,) = topics_with_questions(1)

    topic_state_set(user=learner, topic=topic, state="done")

    state = TopicState.objects.get(user=learner, topic=topic)
    assert state.review_due_on == dt.date(2026, 11, 5)
    assert not reviews_due(learner, dt.date(2026, 11, 4)).exists()
    assert reviews_due(learner, dt.date(2026, 11, 5)).count() == 1


def test_due_dates_follow_the_learners_time_zone(learner):
    learner.time_zone = "Pacific/Auckland"
    late_sunday_utc = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)  # Monday in Auckland

    assert learner_today(learner, late_sunday_utc) == dt.date(2026, 11, 2)
    assert next_review_on(learner, step=0, now=late_sunday_utc) == dt.date(2026, 11, 5)
    learner.time_zone = "America/Los_Angeles"
    assert learner_today(learner, late_sunday_utc) == dt.date(2026, 11, 1)


def test_review_session_a_day_late_moves_correct_topics_out_and_brings_missed_back(
    learner_client, learner, clock
):
    right, missed = topics_with_questions(2)
    for topic in (right, missed):
        topic_state_set(user=learner, topic=topic, state="done")
    topic_note_set(user=learner, topic=missed, note="Remember: few-shot, not zero-shot.")
    clock.advance(days=4)  # a day after they came due

    page = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Due for review (2)" in page
    attempt = review_session(learner_client)
    data = answers_for(attempt)
    position = attempt.answers.get(question__topic=missed).position
    data[f"answer-{position}"] = answers_for(attempt, right=False)[f"answer-{position}"]
    assert learner_client.post(attempt_url(attempt), data).status_code == 302

    kept = TopicState.objects.get(user=learner, topic=right)
    stale = TopicState.objects.get(user=learner, topic=missed)
    assert (kept.review_step, kept.review_due_on, kept.needs_review) == (
        1,
        dt.date(2026, 11, 13),  # 7 days after the review
        False,
    )
    assert (stale.state, stale.review_step, stale.review_due_on, stale.needs_review) == (
        "done",
        0,
        dt.date(2026, 11, 7),  # tomorrow
        True,
    )
    result = learner_client.get(attempt_url(attempt)).content.decode()
    assert "Remember: few-shot, not zero-shot." in result  # the learner's own note
    dashboard = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Due for review (0)" in dashboard
    row = learner_client.get(missed.get_absolute_url()).content.decode()
    assert "Needs review" in row


def test_a_missed_review_makes_the_verification_stale_until_passed_again(
    learner_client, learner, clock
):
    (topic,) = topics_with_questions(1)
    topic_state_set(user=learner, topic=topic, state="done", verified_at=clock.now)
    assert done_by_module(learner)[topic.module_id].verified_hours == 2
    clock.advance(days=3)
    attempt = review_session(learner_client)

    learner_client.post(attempt_url(attempt), answers_for(attempt, right=False))

    figures = done_by_module(learner)[topic.module_id]
    assert (figures.hours, figures.verified_hours) == (2, 0)  # still done, not verified
    clock.advance(days=1)
    attempt = review_session(learner_client)
    learner_client.post(attempt_url(attempt), answers_for(attempt))
    assert done_by_module(learner)[topic.module_id].verified_hours == 2


def test_a_session_takes_at_most_ten_due_topics_longest_due_first(learner_client, learner, clock):
    topics = topics_with_questions(12)
    for index, topic in enumerate(topics):
        topic_state_set(
            user=learner, topic=topic, state="done", at=MONDAY - dt.timedelta(days=index)
        )
    clock.advance(days=3)

    attempt = review_session(learner_client)

    asked = set(attempt.answers.values_list("question__topic", flat=True))
    assert attempt.total == REVIEW_TOPICS_MAX
    assert asked == {t.pk for t in topics[2:]}


def test_nothing_due_says_so(learner_client, learner, clock):
    page = learner_client.get(reverse("learning:review")).content.decode()
    assert "Nothing is due for review today" in page
    response = learner_client.post(reverse("learning:review"))
    assert response.status_code == 404
    assert not CheckAttempt.objects.exists()


def test_topics_without_questions_never_come_due_for_a_session(learner, clock):
    topic = TopicFactory()
    topic_state_set(user=learner, topic=topic, state="done")
    assert not reviews_due(learner, dt.date(2027, 1, 1)).exists()


def test_a_topic_moved_back_to_learning_leaves_the_schedule(learner, clock):
    (topic,) = topics_with_questions(1)
    topic_state_set(user=learner, topic=topic, state="done")
    topic_state_set(user=learner, topic=topic, state="learning")
    assert TopicState.objects.get(user=learner, topic=topic).review_due_on is None
