"""The study plan: the path's order, its weeks, re-flowing with progress and hours, the
commitment to a ready-by date, and the page's fixed number of queries."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from careers.models import StudyPlan
from careers.plan import plan_build, plan_topics
from common.fragments import fragments
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.conftest import count_queries, stored_page_queries
from tests.learning.factories import (
    ModuleFactory,
    QuestionFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday; the plan's first week starts on Monday 2 March.
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def path(learner):
    """A core module whose first topic needs its second and a recommended topic; a
    recommended module; an optional one that stays out of the plan."""
    role = RoleFactory(title="Prompt Engineer")
    core, recommended, optional = (
        ModuleFactory(order=1),
        ModuleFactory(order=2),
        ModuleFactory(order=3),
    )
    RoleRequirementFactory(role=role, module=core, importance="core")
    RoleRequirementFactory(role=role, module=recommended, importance="recommended")
    RoleRequirementFactory(role=role, module=optional, importance="optional")
    c1 = TopicFactory(module=core, order=0, hours=3, title="Evaluations")
    c2 = TopicFactory(module=core, order=1, hours=6, title="Tokens")
    r1 = TopicFactory(module=recommended, order=0, hours=2, title="Statistics")
    r2 = TopicFactory(module=recommended, order=1, hours=4, title="Product sense")
    TopicFactory(module=optional, order=0, hours=9, title="Optional extra")
    c1.prerequisites.add(c2, r1)
    learner.target_role = role
    learner.weekly_hours = 5
    learner.save()
    return {"role": role, "c1": c1, "c2": c2, "r1": r1, "r2": r2}


def layout(plan):
    return [
        [(item.topic.title, item.hours, item.is_done) for item in week.items] for week in plan.weeks
    ]


def test_the_path_puts_core_first_and_prerequisites_before_what_needs_them(learner, path):
    titles = [topic.title for topic in plan_topics(learner, path["role"])]
    # Tokens and Statistics come before Evaluations, which needs them; Statistics is
    # recommended but a core topic needs it; optional modules stay out.
    assert titles == ["Tokens", "Statistics", "Evaluations", "Product sense"]
    assert [t.is_core for t in plan_topics(learner, path["role"])] == [True, True, True, False]


def test_weeks_fill_with_the_weekly_hours_and_a_long_topic_spans_weeks(learner, path):
    plan = plan_build(learner, path["role"], now=NOW)

    assert [week.start for week in plan.weeks] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert layout(plan) == [
        [("Tokens", 5, False)],
        [("Tokens", 1, False), ("Statistics", 2, False), ("Evaluations", 2, False)],
        [("Evaluations", 1, False), ("Product sense", 4, False)],
    ]
    assert plan.weeks[0].items[0].continues and plan.weeks[1].items[0].continued
    # The last core hour falls on the second day of the third week.
    assert plan.ready_on == date(2026, 3, 17)
    assert (plan.hours_left, plan.core_hours_left) == (15, 11)


def test_the_plan_reflows_when_a_topic_is_done_and_keeps_it_in_this_week(learner, path):
    TopicStateFactory(user=learner, topic=path["c2"], state="done", state_changed_at=NOW)
    TopicStateFactory(
        user=learner,
        topic=path["r2"],
        state="skipped",
        state_changed_at=datetime(2026, 1, 5, tzinfo=UTC),
    )

    plan = plan_build(learner, path["role"], now=NOW)

    assert layout(plan) == [
        [("Tokens", 6, True)],
        [("Statistics", 2, False), ("Evaluations", 3, False)],
    ]
    assert plan.weeks[0].hours_done == 6
    assert plan.ready_on == date(2026, 3, 15)


def test_more_weekly_hours_bring_the_ready_by_date_forward(learner, path):
    before = plan_build(learner, path["role"], now=NOW).ready_on
    learner.weekly_hours = 20
    after = plan_build(learner, path["role"], now=NOW)

    assert after.ready_on < before
    assert layout(after) == [
        [
            ("Tokens", 6, False),
            ("Statistics", 2, False),
            ("Evaluations", 3, False),
            ("Product sense", 4, False),
        ]
    ]


def test_weeks_start_on_the_learners_monday(learner, path):
    # Sunday 23:00 in UTC is already Monday in Tokyo.
    sunday_night = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    learner.time_zone = "Asia/Tokyo"
    assert plan_build(learner, path["role"], now=sunday_night).weeks[0].start == date(2026, 3, 9)
    learner.time_zone = "UTC"
    assert plan_build(learner, path["role"], now=sunday_night).weeks[0].start == date(2026, 3, 2)


def test_plan_page_shows_weeks_topics_hours_and_what_is_done(learner_client, learner, path):
    TopicStateFactory(user=learner, topic=path["c2"], state="done")

    response = learner_client.get(reverse("careers:plan"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This week:" in html
    assert "Tokens</a>" in html and '<span class="badge badge-ok">done</span>' in html
    assert "Commit to " in html
    assert "Mark “Statistics” done" not in html or "This week" in html


def test_plan_page_without_a_target_role_points_to_the_roles(client, other_learner):
    client.force_login(other_learner)
    response = client.get(reverse("careers:plan"))
    assert "Choose a target role to begin" in response.content.decode()


def test_committing_then_falling_behind_shows_days_behind_and_offers_to_recommit(
    learner_client, learner, path
):
    response = learner_client.post(reverse("careers:plan-commit"))
    assert response.status_code == 302
    committed = StudyPlan.objects.get(user=learner).committed_ready_on
    assert committed is not None

    learner.weekly_hours = 1
    learner.save()
    html = learner_client.get(reverse("careers:plan")).content.decode()

    plan = plan_build(learner, path["role"], study_plan=StudyPlan.objects.get(user=learner))
    assert plan.days_ahead < 0
    assert f"{plan.days_behind} days behind" in html
    assert "Re-commit to " in html


def test_getting_ahead_of_the_commitment_shows_days_ahead(learner_client, learner, path):
    learner_client.post(reverse("careers:plan-commit"))
    TopicStateFactory(user=learner, topic=path["c2"], state="skipped")

    html = learner_client.get(reverse("careers:plan")).content.decode()

    assert " ahead</span>" in html


def test_commit_needs_a_target_role(client, other_learner):
    client.force_login(other_learner)
    response = client.post(reverse("careers:plan-commit"), follow=True)
    assert "Choose a target role first" in response.content.decode()
    assert not StudyPlan.objects.filter(user=other_learner).exists()


def build_path(learner, *, modules, topics_per_module, states):
    role = RoleFactory()
    topics = []
    for index in range(modules):
        module = ModuleFactory()
        RoleRequirementFactory(
            role=role, module=module, importance="core" if index % 2 == 0 else "recommended"
        )
        previous = None
        for _ in range(topics_per_module):
            topic = TopicFactory(module=module, hours=3)
            if previous is not None:
                topic.prerequisites.add(previous)
            previous = topic
            topics.append(topic)
    for topic in topics[:states]:
        TopicStateFactory(user=learner, topic=topic, state="done")
    learner.target_role = role
    learner.save()
    StudyPlan.objects.create(user=learner, committed_ready_on=date(2030, 1, 1))


@pytest.mark.parametrize(
    ("modules", "topics_per_module", "states"), [(2, 3, 1), (6, 30, 120)], ids=["small", "large"]
)
def test_plan_page_takes_a_fixed_number_of_queries(
    learner_client, learner, modules, topics_per_module, states
):
    build_path(learner, modules=modules, topics_per_module=topics_per_module, states=states)
    count_queries(learner_client, reverse("careers:plan"))  # fills the content cache
    fragments.clear()

    # Rendered: the session (unless read from the cache), the user, their plan row, their
    # complete states and their reviews due. Stored: the session and the user.
    session = stored_page_queries() - 1  # 1 with sessions in the database, else 0
    assert count_queries(learner_client, reverse("careers:plan")) == 4 + session
    assert count_queries(learner_client, reverse("careers:plan")) == 1 + session


# Reviews due take their share of this week


def due_reviews(learner, topics, *, due_on):
    """Each topic done long ago, with a question, and due for review on `due_on`."""
    for topic in topics:
        QuestionFactory(topic=topic)
        TopicStateFactory(
            user=learner,
            topic=topic,
            state="done",
            state_changed_at=datetime(2025, 1, 6, tzinfo=UTC),
            review_due_on=due_on,
        )


def test_reviews_due_take_their_minutes_out_of_this_week(learner, path):
    # Five reviews of 15 minutes: an hour and a quarter, so two of this week's five hours.
    done_before = [TopicFactory(hours=1) for _ in range(5)]
    due_reviews(learner, done_before, due_on=date(2026, 3, 3))

    plan = plan_build(learner, path["role"], now=NOW)

    this_week = plan.weeks[0]
    assert (this_week.reviews_due, this_week.review_minutes, this_week.review_hours) == (5, 75, 2)
    assert layout(plan)[0] == [("Tokens", 3, False)]
    assert this_week.hours == 5
    # Only this week holds reviews; the path moves on by the hours they took.
    assert [week.reviews_due for week in plan.weeks[1:]] == [0] * (len(plan.weeks) - 1)
    assert plan.ready_on > plan_build_without_reviews(learner, path).ready_on


def plan_build_without_reviews(learner, path):
    from learning.models import TopicState

    TopicState.objects.filter(user=learner, review_due_on__isnull=False).update(
        review_due_on=date(2027, 1, 1)
    )
    return plan_build(learner, path["role"], now=NOW)


def test_reviews_not_yet_due_leave_the_week_alone(learner, path):
    due_reviews(learner, [TopicFactory(hours=1)], due_on=date(2026, 3, 5))  # tomorrow

    plan = plan_build(learner, path["role"], now=NOW)

    assert plan.weeks[0].reviews_due == 0
    assert layout(plan)[0] == [("Tokens", 5, False)]


def test_plan_page_shows_the_reviews_due_this_week(learner_client, learner, path):
    due_reviews(learner, [TopicFactory(hours=1), TopicFactory(hours=1)], due_on=date(2020, 1, 1))

    html = learner_client.get(reverse("careers:plan")).content.decode()

    assert '<a href="/review/">2 reviews due</a>' in html
    assert "about 30 min, 1 h of the week" in html


# A stored plan page never outlives what it shows


@pytest.fixture
def shown(learner_client):
    """The plan page's HTML, viewed twice so that the second view is the stored page."""

    def show():
        learner_client.get(reverse("careers:plan"))
        return learner_client.get(reverse("careers:plan")).content.decode()

    return show


def weeks_html(html):
    return html.split('data-testid="plan-weeks"')[1].split("</ol>")[0]


def test_a_tick_shows_on_the_stored_plan_at_once(learner_client, shown, path):
    assert "Mark “Tokens” done" in shown()

    learner_client.post(reverse("learning:topic-state", args=[path["c2"].slug]), {"state": "done"})

    html = shown()
    assert "Mark “Tokens” done" not in html
    assert '<li class="plan-item plan-item-done" data-topic="' + path["c2"].slug in html


def test_a_settings_change_shows_on_the_stored_plan_at_once(learner_client, learner, shown, path):
    assert "at 5 h a week" in shown()

    learner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Ada",
            "target_role": str(path["role"].pk),
            "weekly_hours": "20",
            "time_zone": "Pacific/Kiritimati",
            "study_days": ["0"],
            "study_time": "08:00",
            "public_handle": "",
        },
    )

    html = shown()
    assert "at 20 h a week, weeks in Pacific/Kiritimati" in html
    assert weeks_html(html).count("<h3") == 1  # 15 hours: all in this week


def test_a_target_change_shows_on_the_stored_plan_at_once(learner, shown, path):
    from accounts.services import target_role_set

    assert "Prompt Engineer" in shown()
    other = RoleFactory(title="Data Scientist")

    target_role_set(user=learner, role=other)

    html = shown()
    assert "Toward <a" in html and "Data Scientist" in html and "Prompt Engineer" not in html


def test_a_commitment_shows_on_the_stored_plan_at_once(learner_client, shown, path):
    assert 'data-testid="commitment"' not in shown()

    learner_client.post(reverse("careers:plan-commit"))

    html = shown()
    assert 'data-testid="commitment"' in html and "on track" in html


def test_a_stored_plan_page_is_not_served_on_the_learners_next_day(
    learner_client, shown, path, monkeypatch
):
    from django.utils import timezone

    html = shown()
    assert "This week: 2 Mar" not in html  # today, not the test's March
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    assert "This week: 2 Mar – 8 Mar 2026" in shown()


def test_a_new_question_shows_its_review_on_the_stored_plan_at_once(learner, shown, path):
    reviewed = TopicFactory(hours=1)
    TopicStateFactory(user=learner, topic=reviewed, state="done", review_due_on=date(2020, 1, 1))
    assert 'data-testid="plan-reviews"' not in shown()  # no question: nothing to review

    QuestionFactory(topic=reviewed)

    assert "1 review due</a>" in shown()
