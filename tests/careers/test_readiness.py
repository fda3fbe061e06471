from datetime import date, timedelta

import pytest
from django.utils import timezone

from careers.readiness import evidence, next_up, readiness_by_role, ready_on, role_progress
from learning.activity import activity
from learning.models import TopicState
from learning.services import topic_state_set
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def role_with_modules():
    """A role with a core module (10 h + 30 h) and a recommended module (20 h)."""
    role = RoleFactory(title="Machine Learning Engineer")
    core = ModuleFactory(title="Core", order=1)
    recommended = ModuleFactory(title="Recommended", order=2)
    RoleRequirementFactory(role=role, module=core, importance="core")
    RoleRequirementFactory(role=role, module=recommended, importance="recommended")
    short = TopicFactory(module=core, hours=10, order=1)
    long = TopicFactory(module=core, hours=30, order=2, prerequisites=[short])
    extra = TopicFactory(module=recommended, hours=20, order=1)
    return role, short, long, extra


def test_readiness_is_weighted_by_hours_of_core_modules(learner, role_with_modules):
    role, short, long, extra = role_with_modules
    topic_state_set(user=learner, topic=short, state="done")
    topic_state_set(user=learner, topic=extra, state="done")
    progress = role_progress(learner, role)
    assert progress.total_hours == 40
    assert progress.done_hours == 10
    assert progress.readiness_percent == 25
    assert progress.recommended_done_hours == 20
    assert progress.recommended_percent == 100


def test_skipped_topics_count_toward_readiness(learner, role_with_modules):
    role, short, long, _ = role_with_modules
    topic_state_set(user=learner, topic=long, state="skipped")
    assert role_progress(learner, role).done_hours == 30


def test_learning_state_does_not_count_toward_readiness(learner, role_with_modules):
    role, short, _, _ = role_with_modules
    topic_state_set(user=learner, topic=short, state="learning")
    assert role_progress(learner, role).readiness_percent == 0


def test_archived_topic_stops_counting_but_keeps_history(learner, role_with_modules):
    role, short, long, _ = role_with_modules
    topic_state_set(user=learner, topic=long, state="done")
    long.is_archived = True
    long.save()
    progress = role_progress(learner, role)
    assert progress.total_hours == 10
    assert progress.done_hours == 0
    assert TopicState.objects.filter(user=learner, topic=long, state="done").exists()


def test_shared_topic_counts_for_every_role_that_needs_it(learner, role_with_modules):
    role, short, long, _ = role_with_modules
    other_role = RoleFactory(title="Data Scientist")
    RoleRequirementFactory(role=other_role, module=short.module, importance="core")
    topic_state_set(user=learner, topic=short, state="done")
    readiness = {r.role.pk: r for r in readiness_by_role(learner)}
    assert readiness[role.pk].done_hours == 10
    assert readiness[other_role.pk].done_hours == 10
    assert readiness[other_role.pk].readiness_percent == 25


def test_other_learners_states_never_count(learner, other_learner, role_with_modules):
    role, short, long, _ = role_with_modules
    topic_state_set(user=other_learner, topic=long, state="done")
    assert role_progress(learner, role).done_hours == 0
    assert readiness_by_role(learner)[0].done_hours == 0


def test_closest_roles_are_ranked_by_readiness(learner, role_with_modules):
    role, short, long, _ = role_with_modules
    near = RoleFactory(title="Near role")
    near_module = ModuleFactory()
    RoleRequirementFactory(role=near, module=near_module, importance="core")
    near_topic = TopicFactory(module=near_module, hours=5)
    topic_state_set(user=learner, topic=near_topic, state="done")
    ranked = [r.role for r in readiness_by_role(learner)]
    assert ranked[0] == near
    assert ranked.index(role) > 0


def test_next_up_orders_core_first_and_needs_prerequisites_done(learner, role_with_modules):

    role, short, long, extra = role_with_modules
    assert list(next_up(learner, role)) == [short, extra]
    topic_state_set(user=learner, topic=short, state="done")
    assert list(next_up(learner, role)) == [long, extra]


def test_next_up_ignores_archived_prerequisites(learner, role_with_modules):

    role, short, long, extra = role_with_modules
    short.is_archived = True
    short.save()
    assert list(next_up(learner, role)) == [long, extra]


def test_next_up_is_limited_to_five(learner):

    role = RoleFactory()
    module = ModuleFactory()
    RoleRequirementFactory(role=role, module=module, importance="core")
    topics = [TopicFactory(module=module, order=i) for i in range(8)]
    assert list(next_up(learner, role)) == topics[:5]


def test_ready_on_divides_hours_left_by_weekly_hours():
    today = date(2026, 1, 5)
    assert ready_on(20, 10, today=today) == today + timedelta(days=14)
    assert ready_on(5, 10, today=today) == today + timedelta(days=4)
    assert ready_on(0, 10, today=today) is None


def test_activity_sums_done_hours_per_week_and_counts_streak(learner):
    now = timezone.now()
    this_week = TopicFactory(hours=3)
    last_week = TopicFactory(hours=7)
    long_ago = TopicFactory(hours=11)
    skipped = TopicFactory(hours=50)
    TopicStateFactory(user=learner, topic=this_week, state_changed_at=now)
    TopicStateFactory(user=learner, topic=last_week, state_changed_at=now - timedelta(weeks=1))
    TopicStateFactory(user=learner, topic=long_ago, state_changed_at=now - timedelta(weeks=5))
    TopicStateFactory(user=learner, topic=skipped, state="skipped", state_changed_at=now)
    result = activity(learner)
    assert len(result.weeks) == 12
    assert result.weeks[-1].hours == 3
    assert result.weeks[-2].hours == 7
    assert result.weeks[-6].hours == 11
    assert result.total_hours == 21
    assert result.streak_weeks == 2


def test_evidence_links_done_projects_to_core_modules(learner, role_with_modules):
    role, short, _, extra = role_with_modules
    progress = role_progress(learner, role)
    core = progress.core_modules[0].module
    done = PortfolioProjectFactory(user=learner, status="done", modules=[core])
    PortfolioProjectFactory(user=learner, status="planned", modules=[core])
    result = evidence(learner, progress)
    assert [(e.module, e.projects) for e in result] == [(core, [done])]


def test_changing_state_records_each_change_with_time(learner, role_with_modules):
    _, short, _, _ = role_with_modules
    _, changed = topic_state_set(user=learner, topic=short, state="learning")
    assert changed
    _, changed_again = topic_state_set(user=learner, topic=short, state="learning")
    assert not changed_again
    topic_state_set(user=learner, topic=short, state="done")
    states = list(learner.topic_state_changes.values_list("state", flat=True))
    assert states == ["learning", "done"]
    row = TopicState.objects.get(user=learner, topic=short)
    assert row.completed_at is not None
    topic_state_set(user=learner, topic=short, state="learning")
    row.refresh_from_db()
    assert row.completed_at is None


def test_streak_longer_than_the_chart_is_counted_in_full(learner):
    now = timezone.now()
    for weeks_ago in range(15):
        TopicStateFactory(
            user=learner,
            topic=TopicFactory(hours=1),
            state_changed_at=now - timedelta(weeks=weeks_ago),
        )
    result = activity(learner)
    assert result.streak_weeks == 15
    assert [week.hours for week in result.weeks] == [1] * 12
