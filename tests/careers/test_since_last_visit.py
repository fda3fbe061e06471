"""'Since your last visit' on the dashboard: what changed in the content for this learner,
shown once (issue 14)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.models import ContentVersion
from learning.models import TopicStateChange
from tests.accounts.factories import UserFactory
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory, TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


def version(number, **lists):
    return ContentVersion.objects.create(
        number=number, loaded_at=timezone.now(), roles=1, modules=1, topics=1, projects=0, **lists
    )


@pytest.fixture
def setting():
    role = RoleFactory(title="AI Engineer")
    module = ModuleFactory(title="Agents")
    RoleRequirementFactory(role=role, module=module, importance="core")
    learner = UserFactory(target_role=role)
    version(1)
    return role, module, learner


def dashboard(client, learner):
    client.force_login(learner)
    return client.get(reverse("careers:dashboard")).content.decode()


def test_a_first_visit_has_no_last_visit_to_compare_with(client, setting):
    _, _, learner = setting
    assert "Since your last visit" not in dashboard(client, learner)
    learner.refresh_from_db()
    assert learner.content_version_seen == 1


def test_new_path_topics_carried_progress_and_touched_retired_topics_are_shown_once(
    client, setting
):
    role, module, learner = setting
    learner.content_version_seen = 1
    learner.save()
    new = TopicFactory(module=module, title="Model Context Protocol servers")
    elsewhere = TopicFactory(title="Not on the path")
    moved = TopicFactory(module=module, title="Evaluating agents")
    TopicStateChange.objects.create(
        user=learner, topic=moved, state="done", changed_at=timezone.now(), content_version=2
    )
    old = TopicFactory(title="Prompt chaining, the old way", is_archived=True)
    TopicStateFactory(user=learner, topic=old, state="learning")
    untouched = TopicFactory(title="Never opened", is_archived=True)
    version(2, added_topics=[new.slug, elsewhere.slug], retired_topics=[old.slug, untouched.slug])

    html = dashboard(client, learner)
    card = html[html.index('data-testid="since-last-visit"') :]
    card = card[: card.index("</section>")]
    assert "Model Context Protocol servers" in card
    assert "Not on the path" not in card
    assert "Evaluating agents" in card
    assert "Prompt chaining, the old way" in card
    assert "Never opened" not in card
    # Once: the next visit shows nothing.
    assert "Since your last visit" not in dashboard(client, learner)


def test_another_learners_carried_progress_is_not_shown(client, setting):
    role, module, learner = setting
    learner.content_version_seen = 1
    learner.save()
    other = UserFactory()
    moved = TopicFactory(module=module, title="Someone else's topic")
    TopicStateChange.objects.create(
        user=other, topic=moved, state="done", changed_at=timezone.now(), content_version=2
    )
    version(2)
    assert "Someone else's topic" not in dashboard(client, learner)


def test_a_head_request_does_not_use_up_the_news(client, setting):
    role, module, learner = setting
    learner.content_version_seen = 1
    learner.save()
    new = TopicFactory(module=module, title="Guardrails")
    version(2, added_topics=[new.slug])
    client.force_login(learner)
    client.head(reverse("careers:dashboard"))
    learner.refresh_from_db()
    assert learner.content_version_seen == 1
    assert "Guardrails" in dashboard(client, learner)
