import pytest
from django.urls import reverse

from learning.models import TopicState
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import (
    ModuleFactory,
    ProjectIdeaFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


# Search


def test_search_finds_roles_modules_topics_and_ideas(client):
    RoleFactory(title="Diffusion Artist")
    ModuleFactory(title="Diffusion models")
    TopicFactory(title="Denoising diffusion")
    ProjectIdeaFactory(title="Diffusion image generator")
    TopicFactory(title="Unrelated")
    response = client.get(reverse("search"), {"q": "diffusion"})
    html = response.content.decode()
    assert response.status_code == 200
    for title in [
        "Diffusion Artist",
        "Diffusion models",
        "Denoising diffusion",
        "Diffusion image generator",
    ]:
        assert title in html
    assert "Unrelated" not in html


def test_search_is_case_insensitive(client):
    TopicFactory(title="Retrieval-augmented generation")
    html = client.get(reverse("search"), {"q": "RETRIEVAL"}).content.decode()
    assert "Retrieval-augmented generation" in html


def test_empty_and_overlong_queries_get_friendly_messages(client):
    empty = client.get(reverse("search"), {"q": "   "})
    assert empty.status_code == 400
    assert "Type a word or two" in empty.content.decode()
    overlong = client.get(reverse("search"), {"q": "x" * 500})
    assert overlong.status_code == 400
    assert "too long" in overlong.content.decode()
    assert client.get(reverse("search")).status_code == 200


def test_search_ignores_archived_content(client):
    TopicFactory(title="Retired diffusion topic", is_archived=True)
    html = client.get(reverse("search"), {"q": "retired"}).content.decode()
    assert "Retired diffusion topic" not in html


# Dashboard


def test_dashboard_without_target_prompts_to_choose(learner_client):
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert "Choose a target role" in html


def test_new_learner_sees_zero_and_where_to_start(learner_client, learner):
    role = RoleFactory()
    module = ModuleFactory()
    RoleRequirementFactory(role=role, module=module)
    first = TopicFactory(module=module, title="Where to start")
    learner.target_role = role
    learner.save()
    html = learner_client.get(reverse("careers:dashboard")).content.decode()
    assert 'data-testid="readiness">0%' in html
    assert first.title in html


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("careers:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_dashboard_htmx_tick_keeps_the_row_in_place_and_says_what_changed(learner_client, learner):
    role = RoleFactory()
    module = ModuleFactory()
    RoleRequirementFactory(role=role, module=module)
    topic = TopicFactory(module=module, hours=10)
    TopicFactory(module=module, hours=10)
    learner.target_role = role
    learner.save()
    response = learner_client.post(
        reverse("careers:dashboard"),
        {"topic": topic.slug, "state": "done"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    # The row itself comes back, marked done, so the list does not move under the cursor.
    assert html.lstrip().startswith(
        f'<li class="topic-row" id="topic-{topic.slug}" data-state="done"'
    )
    assert 'id="dashboard-body"' not in html
    assert 'id="readiness"' in html and 'data-testid="readiness">50%' in html
    assert 'id="tick-status" data-hx-swap-oob="innerHTML"' in html
    assert "Done · +10 h · readiness 0% → 50%" in html
    assert 'name="state" value="not_started"' in html and ">Undo</button>" in html


def test_dashboard_tick_without_javascript_redirects_back_with_a_message(learner_client, learner):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("careers:dashboard"), {"topic": topic.slug, "state": "learning"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("careers:dashboard"))
    assert "is now marked learning" in response.content.decode()
    assert TopicState.objects.get(user=learner, topic=topic).state == "learning"


def test_dashboard_tick_of_an_unknown_topic_is_404_and_a_bad_state_400(learner_client, learner):
    topic = TopicFactory()
    missing = learner_client.post(reverse("careers:dashboard"), {"topic": "nope", "state": "done"})
    bad = learner_client.post(
        reverse("careers:dashboard"),
        {"topic": topic.slug, "state": "mastered"},
        headers={"HX-Request": "true"},
    )
    assert missing.status_code == 404
    assert bad.status_code == 400
    assert not TopicState.objects.filter(user=learner).exists()
