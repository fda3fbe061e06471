"""The dashboard says only what is true and useful: projects in progress count as coming
evidence, closest roles appear only when they mean something, the chart has a friendly
empty state."""

import pytest
from django.urls import reverse

from careers.readiness import evidence, role_progress
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(learner):
    role = RoleFactory(title="Prompt Engineer")
    module = ModuleFactory(title="Prompting")
    RoleRequirementFactory(role=role, module=module)
    TopicFactory(module=module, hours=10)
    learner.target_role = role
    learner.save()
    return role, module


def test_a_project_in_progress_shows_in_evidence(learner_client, learner, target):
    role, module = target
    PortfolioProjectFactory(user=learner, status="in_progress", title="WIP", modules=[module])
    items = evidence(learner, role_progress(learner, role))
    assert [p.title for p in items[0].in_progress] == ["WIP"] and items[0].projects == []
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "project in progress" in html and ">WIP</a>" in html
    assert "no project yet" not in html


def test_closest_roles_show_only_roles_with_a_start_in_a_stated_order(
    learner_client, learner, target
):
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Closest roles" not in html  # nothing done: every role is at 0%
    role, module = target
    other = RoleFactory(title="Writer")
    extra = ModuleFactory()
    RoleRequirementFactory(role=other, module=extra)
    topic = TopicFactory(module=extra, hours=4)
    TopicFactory(module=extra, hours=4)
    RoleFactory(title="Untouched")
    TopicStateFactory(user=learner, topic=topic, state="done")
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Closest roles" in html and "most ready first (then fewest hours left)" in html
    assert "Writer</a>: 50%, 4 h left" in html
    assert "Untouched" not in html and "Prompt Engineer</a>: 0%" not in html


def test_an_empty_activity_chart_says_what_will_appear(learner_client, learner, target):
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Nothing marked done in the last 12 weeks yet." in html
    assert "<svg" not in html
    role, module = target
    TopicStateFactory(user=learner, topic=module.topics.get(), state="done")
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "<svg" in html and "Nothing marked done" not in html
