import pytest
from django.urls import reverse

from learning.models import TopicState, TopicStateChange
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    ProjectIdeaFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


# Public pages


def test_module_page_lists_topics_in_order_with_hours_and_level(client):
    module = ModuleFactory(title="Prompt engineering")
    second = TopicFactory(module=module, order=2, title="Chain of thought", hours=6)
    first = TopicFactory(module=module, order=1, title="Zero-shot prompting", hours=3)
    response = client.get(module.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(first.title) < html.index(second.title)
    assert "6 h" in html and "Intermediate" not in html


def test_archived_topic_and_module_are_not_found(client):
    topic = TopicFactory(is_archived=True)
    assert client.get(topic.get_absolute_url()).status_code == 404
    module = ModuleFactory(is_archived=True)
    assert client.get(module.get_absolute_url()).status_code == 404


def test_topic_under_the_wrong_module_is_not_found(client):
    topic = TopicFactory()
    other = ModuleFactory()
    url = reverse("learning:topic-detail", kwargs={"module": other.slug, "topic": topic.slug})
    assert client.get(url).status_code == 404


def test_topic_page_shows_prerequisites_unlocks_and_resources(client):
    basics = TopicFactory(title="Linear algebra basics")
    topic = TopicFactory(title="Attention", prerequisites=[basics])
    follow_up = TopicFactory(title="Transformers", prerequisites=[topic])
    topic.resources.create(
        title="Attention paper", url="https://arxiv.org/abs/1706.03762", kind="paper"
    )
    html = client.get(topic.get_absolute_url()).content.decode()
    assert basics.title in html
    assert follow_up.title in html
    assert "https://arxiv.org/abs/1706.03762" in html


def test_unknown_slugs_give_404(client):
    for url in [
        reverse("learning:module-detail", kwargs={"module": "nope"}),
        reverse("learning:project-detail", kwargs={"slug": "nope"}),
        reverse("careers:role-detail", kwargs={"slug": "nope"}),
    ]:
        assert client.get(url).status_code == 404


def test_markdown_is_sanitised(client):
    topic = TopicFactory(
        description=(
            "Hello <script>alert(1)</script> [click](javascript:alert(2)) "
            '<img src=x onerror="alert(3)"> **bold**'
        )
    )
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html
    assert "<strong>bold</strong>" in html


def test_project_idea_page_offers_to_add_to_portfolio(client):
    idea = ProjectIdeaFactory()
    html = client.get(idea.get_absolute_url()).content.decode()
    assert f"{reverse('learning:portfolio-create')}?idea={idea.slug}" in html


# Topic state


def test_anonymous_click_is_sent_to_sign_up_with_the_intent_and_back(client):
    topic = TopicFactory()
    next_url = topic.module.get_absolute_url()
    response = client.post(
        reverse("learning:topic-state", args=[topic.slug]), {"state": "done", "next": next_url}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:signup"))
    assert "next=" in response.url and topic.module.slug in response.url
    assert f"intent=topic%3A{topic.slug}%3Adone" in response.url
    assert not TopicState.objects.exists()


def test_anonymous_htmx_click_redirects_through_htmx(client):
    topic = TopicFactory()
    response = client.post(
        reverse("learning:topic-state", args=[topic.slug]),
        {"state": "done"},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Redirect"].startswith(reverse("accounts:signup") + "?intent=")


def test_plain_form_post_changes_state_once_and_redirects_back(learner_client, learner):
    topic = TopicFactory()
    back = topic.module.get_absolute_url()
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]), {"state": "done", "next": back}
    )
    assert response.status_code == 302
    assert response.url == f"{back}#topic-{topic.slug}"
    assert TopicState.objects.get(user=learner, topic=topic).state == "done"
    assert TopicStateChange.objects.filter(user=learner, topic=topic).count() == 1


def test_htmx_post_returns_only_the_row_and_the_summary(learner_client, learner):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]),
        {"state": "learning"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="topic-{topic.slug}"' in html
    assert 'id="progress-summary"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html and "site-header" not in html
    assert TopicStateChange.objects.filter(user=learner, topic=topic).count() == 1


def test_htmx_tick_says_what_changed_with_undo_in_the_one_live_region(learner_client, learner):
    first = TopicFactory(hours=8)
    second = TopicFactory(module=first.module, hours=2)
    url = reverse("learning:topic-state", args=[first.slug])
    html = learner_client.post(url, {"state": "done"}, headers={"HX-Request": "true"}).content
    html = html.decode()
    assert 'id="tick-status" data-hx-swap-oob="innerHTML"' in html
    assert "Done · +8 h" in html
    assert 'name="state" value="not_started"' in html and ">Undo</button>" in html
    assert "aria-live" not in html  # only the status element of the page is a live region
    # Undo is the same post with the state before.
    html = learner_client.post(url, {"state": "not_started"}, headers={"HX-Request": "true"})
    assert "Not started · −8 h" in html.content.decode()
    assert TopicState.objects.get(user=learner, topic=first).state == "not_started"
    # Finishing the module is celebrated once, by the tick that finishes it.
    learner_client.post(url, {"state": "skipped"}, headers={"HX-Request": "true"})
    last = learner_client.post(
        reverse("learning:topic-state", args=[second.slug]),
        {"state": "done"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert f"You finished {first.module.title}." in last
    again = learner_client.post(
        reverse("learning:topic-state", args=[second.slug]),
        {"state": "skipped"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "You finished" not in again


def test_pages_have_one_live_region_only(learner_client):
    topic = TopicFactory()
    for url in (
        topic.module.get_absolute_url(),
        topic.get_absolute_url(),
        reverse("careers:dashboard"),
    ):
        html = learner_client.get(url).content.decode()
        assert html.count('role="status"') == 1, url
        assert "aria-live" not in html, url
        assert 'id="tick-status"' in html


def test_plain_tick_message_says_what_changed(learner_client, learner):
    topic = TopicFactory(hours=3, title="Tokens")
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]), {"state": "done"}, follow=True
    )
    assert "“Tokens” is now marked done · +3 h." in response.content.decode()


def test_plain_tick_offers_undo_without_javascript(learner_client, learner):
    topic = TopicFactory(hours=3, title="Tokens")
    TopicStateFactory(user=learner, topic=topic, state="learning")
    url = reverse("learning:topic-state", args=[topic.slug])
    module_url = topic.module.get_absolute_url()
    response = learner_client.post(url, {"state": "done", "next": module_url}, follow=True)
    html = response.content.decode()
    form = html[html.index('<div class="message message-success">') :]
    assert f'action="{url}"' in form
    assert 'name="state" value="learning"' in form
    assert f'name="next" value="{module_url}"' in form
    # Pressing it restores the state before the tick, and offers to undo that in turn.
    response = learner_client.post(url, {"state": "learning", "next": module_url}, follow=True)
    assert learner.topic_states.get(topic=topic).state == "learning"
    assert 'name="state" value="done"' in response.content.decode()


def test_a_message_without_an_undo_tag_has_no_undo(learner_client, learner):
    html = learner_client.post(reverse("accounts:logout"), follow=True).content.decode()
    assert "Undo" not in html


def test_next_pointing_elsewhere_is_ignored(learner_client):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]),
        {"state": "done", "next": "https://evil.example.com/"},
    )
    assert "evil" not in response.url


def test_invalid_state_is_refused_without_change(learner_client, learner):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]),
        {"state": "mastered"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert not TopicState.objects.filter(user=learner).exists()


def test_state_change_is_post_only(learner_client):
    topic = TopicFactory()
    assert learner_client.get(reverse("learning:topic-state", args=[topic.slug])).status_code == 405


def test_needs_hint_shows_only_on_not_started_topics_with_open_prerequisites(
    learner_client, learner
):
    basics = TopicFactory(title="Python basics")
    topic = TopicFactory(module=basics.module, prerequisites=[basics])
    url = topic.module.get_absolute_url()

    def hint():
        html = learner_client.get(url).content.decode()
        assert "Prerequisites not done" not in html and "prereq-warning" not in html
        return "Needs: <a" in html

    assert hint()
    # Still tickable; once done (or known, or being learned) the hint goes away.
    for state in ("done", "skipped", "learning"):
        learner_client.post(reverse("learning:topic-state", args=[topic.slug]), {"state": state})
        assert TopicState.objects.get(user=learner, topic=topic).state == state
        assert not hint(), state
    learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]), {"state": "not_started"}
    )
    assert hint()
    TopicStateFactory(user=learner, topic=basics, state="done")
    assert not hint()


def test_note_is_private_and_sanitised(learner_client, learner, other_learner, client):
    topic = TopicFactory()
    learner_client.post(
        reverse("learning:topic-note", args=[topic.slug]),
        {"note": "Private-note-marker **this** <script>alert(1)</script>"},
    )
    state = TopicState.objects.get(user=learner, topic=topic)
    assert "Private-note-marker" in state.note
    html = learner_client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>this</strong>" in html and "<script>alert(1)" not in html
    client.force_login(other_learner)
    # A marker no generated description can hold (one said "Remember" once).
    assert "Private-note-marker" not in client.get(topic.get_absolute_url()).content.decode()


def test_overlong_note_is_refused_and_keeps_the_old_one(learner_client, learner):
    topic = TopicFactory()
    TopicStateFactory(
        user=learner, topic=topic, state="learning", note="keep me", completed_at=None
    )
    response = learner_client.post(
        reverse("learning:topic-note", args=[topic.slug]), {"note": "x" * 20_001}
    )
    assert response.status_code == 400
    assert TopicState.objects.get(user=learner, topic=topic).note == "keep me"


# Portfolio


def test_portfolio_create_from_idea_prefills_and_links(learner_client, learner):
    module = ModuleFactory()
    idea = ProjectIdeaFactory(title="RAG chatbot", modules=[module])
    form_page = learner_client.get(reverse("learning:portfolio-create") + f"?idea={idea.slug}")
    assert "RAG chatbot" in form_page.content.decode()
    response = learner_client.post(
        reverse("learning:portfolio-create"),
        {
            "idea": idea.slug,
            "title": "My RAG chatbot",
            "status": "in_progress",
            "modules": [module.pk],
        },
    )
    assert response.status_code == 302
    project = learner.portfolio_projects.get()
    assert project.idea == idea and list(project.modules.all()) == [module]


def test_portfolio_refuses_bad_urls_and_dates(learner_client, learner):
    response = learner_client.post(
        reverse("learning:portfolio-create"),
        {
            "title": "Bad",
            "status": "planned",
            "repository_url": "javascript:alert(1)",
            "started_on": "2026-05-01",
            "finished_on": "2026-04-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "http:// or https://" in html or "Enter a valid URL" in html
    assert "cannot be before the start date" in html
    assert not learner.portfolio_projects.exists()


def test_portfolio_edit_and_delete_with_confirmation(learner_client, learner):
    project = PortfolioProjectFactory(user=learner, title="Old title")
    learner_client.post(
        reverse("learning:portfolio-edit", args=[project.pk]),
        {"title": "New title", "status": "done"},
    )
    project.refresh_from_db()
    assert project.title == "New title" and project.status == "done"
    confirm = learner_client.get(reverse("learning:portfolio-delete", args=[project.pk]))
    assert "Delete “New title”?" in confirm.content.decode()
    assert learner.portfolio_projects.exists()
    learner_client.post(reverse("learning:portfolio-delete", args=[project.pk]))
    assert not learner.portfolio_projects.exists()


def test_another_learners_portfolio_items_are_404(client, learner, other_learner):
    project = PortfolioProjectFactory(user=learner)
    client.force_login(other_learner)
    for name in ["learning:portfolio-edit", "learning:portfolio-delete"]:
        url = reverse(name, args=[project.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "hijack", "status": "done"}).status_code == 404
    project.refresh_from_db()
    assert project.title != "hijack"
    assert project.title not in client.get(reverse("learning:portfolio-list")).content.decode()


def test_portfolio_pages_require_sign_in(client):
    for url in [reverse("learning:portfolio-list"), reverse("learning:portfolio-create")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url
