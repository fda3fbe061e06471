import types

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from common.cache import content_version
from learning.models import Module, PortfolioProject, ProjectIdea, Resource, Topic, TopicState
from tests.careers.factories import RoleFactory
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    ProjectIdeaFactory,
    ResourceFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def content(learner):
    """A module of three topics in a chain (basics <- middle <- advanced), and learner data."""
    module = ModuleFactory(title="Deep learning", slug="deep-learning")
    basics = TopicFactory(module=module, title="Neural network basics", slug="nn-basics")
    middle = TopicFactory(
        module=module, title="Backpropagation", slug="backprop", prerequisites=[basics]
    )
    advanced = TopicFactory(
        module=module, title="Attention", slug="attention", prerequisites=[middle]
    )
    resource = ResourceFactory(topic=basics, title="The deep learning book")
    idea = ProjectIdeaFactory(title="Image classifier", modules=[module], roles=[RoleFactory()])
    state = TopicStateFactory(user=learner, topic=basics, note="My private thoughts")
    portfolio = PortfolioProjectFactory(user=learner, idea=idea, title="Cat or dog")
    return types.SimpleNamespace(
        module=module,
        basics=basics,
        middle=middle,
        advanced=advanced,
        resource=resource,
        idea=idea,
        state=state,
        portfolio=portfolio,
    )


def topic_form_data(topic, **changes):
    """The topic admin's POST data for `topic` (which has no resources), with changes."""
    data = {
        "module": topic.module_id,
        "title": topic.title,
        "slug": topic.slug,
        "description": topic.description,
        "order": topic.order,
        "hours": topic.hours,
        "level": topic.level,
        "prerequisites": [t.pk for t in topic.prerequisites.all()],
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
        "resources-MIN_NUM_FORMS": 0,
        "resources-MAX_NUM_FORMS": 1000,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    return data | changes


@pytest.mark.parametrize("model", [Module, Topic, Resource, ProjectIdea])
def test_content_admin_changelist_add_and_change_pages_render(admin_client, content, model):
    obj = model.objects.first()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    ("model", "query", "found", "not_found"),
    [
        (Topic, "backprop", "Backpropagation", "Neural network basics"),
        (Module, "deep", "Deep learning", None),
        (Resource, "deep learning book", "The deep learning book", None),
        (ProjectIdea, "classifier", "Image classifier", None),
    ],
)
def test_content_admin_search_finds_by_title(admin_client, content, model, query, found, not_found):
    response = admin_client.get(admin_url(model, "changelist"), {"q": query})

    assert response.status_code == 200
    assert found in response.text
    if not_found:
        assert not_found not in response.text


def test_content_admin_filters_by_archived_and_level(admin_client, content):
    Topic.objects.filter(pk=content.advanced.pk).update(is_archived=True, level="advanced")

    response = admin_client.get(
        admin_url(Topic, "changelist"), {"is_archived__exact": "1", "level__exact": "advanced"}
    )

    assert list(response.context["cl"].result_list) == [content.advanced]


def test_module_change_page_lists_its_topics_with_links(admin_client, content):
    response = admin_client.get(admin_url(Module, "change", content.module.pk))

    assert "Backpropagation" in response.text
    assert admin_url(Topic, "change", content.middle.pk) in response.text


def test_topic_with_valid_prerequisites_is_saved(admin_client, content):
    response = admin_client.post(
        admin_url(Topic, "change", content.advanced.pk),
        topic_form_data(content.advanced, prerequisites=[content.middle.pk, content.basics.pk]),
    )

    assert response.status_code == 302
    assert set(content.advanced.prerequisites.all()) == {content.middle, content.basics}


def test_topic_prerequisite_that_closes_a_cycle_is_refused(admin_client, content):
    response = admin_client.post(
        admin_url(Topic, "change", content.basics.pk),
        topic_form_data(content.basics, prerequisites=[content.advanced.pk]),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["prerequisites"]
    assert errors == [
        "These prerequisites would make a cycle: Neural network basics → Attention → "
        "Backpropagation → Neural network basics. "
        "A topic cannot depend, even indirectly, on itself."
    ]
    assert "would make a cycle" in response.text
    assert not content.basics.prerequisites.exists()


def test_topic_cannot_be_its_own_prerequisite(admin_client, content):
    response = admin_client.post(
        admin_url(Topic, "change", content.middle.pk),
        topic_form_data(content.middle, prerequisites=[content.basics.pk, content.middle.pk]),
    )

    assert response.status_code == 200
    assert "Backpropagation → Backpropagation" in response.text
    assert list(content.middle.prerequisites.all()) == [content.basics]


def test_topic_is_never_deleted_through_the_admin(admin_client, content):
    change_page = admin_client.get(admin_url(Topic, "change", content.basics.pk))
    changelist = admin_client.get(admin_url(Topic, "changelist"))

    response = admin_client.post(admin_url(Topic, "delete", content.basics.pk), {"post": "yes"})

    assert admin_url(Topic, "delete", content.basics.pk) not in change_page.text
    assert "delete_selected" not in changelist.text
    assert response.status_code == 302
    assert response.url == admin_url(Topic, "change", content.basics.pk)
    [message] = get_messages(response.wsgi_request)
    assert "cannot be deleted" in str(message)
    assert "Archive it instead" in str(message)
    assert Topic.objects.filter(pk=content.basics.pk).exists()
    assert TopicState.objects.filter(pk=content.state.pk).exists()


def test_module_is_never_deleted_through_the_admin(admin_client, content):
    changelist = admin_client.post(
        admin_url(Module, "changelist"),
        {"action": "delete_selected", "_selected_action": [content.module.pk], "post": "yes"},
    )
    response = admin_client.post(admin_url(Module, "delete", content.module.pk), {"post": "yes"})

    assert changelist.status_code == 302
    assert response.status_code == 302
    assert response.url == admin_url(Module, "change", content.module.pk)
    assert Module.objects.filter(pk=content.module.pk).exists()


def test_project_idea_can_be_deleted_and_learners_keep_their_project(admin_client, content):
    response = admin_client.post(admin_url(ProjectIdea, "delete", content.idea.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not ProjectIdea.objects.filter(pk=content.idea.pk).exists()
    content.portfolio.refresh_from_db()
    assert content.portfolio.idea is None


@pytest.mark.parametrize("model", [Topic, Module, ProjectIdea])
def test_archive_and_restore_actions(admin_client, content, model):
    obj = model.objects.first()
    url = admin_url(model, "changelist")

    admin_client.post(url, {"action": "archive_selected", "_selected_action": [obj.pk]})
    obj.refresh_from_db()
    archived = obj.is_archived
    admin_client.post(url, {"action": "restore_selected", "_selected_action": [obj.pk]})
    obj.refresh_from_db()

    assert archived
    assert not obj.is_archived


def test_admin_save_refreshes_content_caches(admin_client, content):
    page = content.basics.get_absolute_url()
    assert "Neural networks" not in admin_client.get(page).content.decode()
    before = content_version()

    admin_client.post(
        admin_url(Topic, "change", content.basics.pk),
        topic_form_data(content.basics, title="Neural networks"),
    )

    assert content_version() != before
    assert "Neural networks" in admin_client.get(page).content.decode()


def test_prerequisite_autocomplete_finds_topics(admin_client, content):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "learning",
            "model_name": "topic",
            "field_name": "prerequisites",
            "term": "backprop",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Backpropagation"]


# Learners' data


@pytest.mark.parametrize("model", [TopicState, PortfolioProject])
def test_learner_data_admin_is_read_only(admin_client, content, model):
    obj = model.objects.first()

    changelist = admin_client.get(admin_url(model, "changelist"))
    change = admin_client.get(admin_url(model, "change", obj.pk))
    add = admin_client.get(admin_url(model, "add"))
    post = admin_client.post(admin_url(model, "change", obj.pk), {})

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert 'name="_save"' not in change.text
    assert add.status_code == 403
    assert post.status_code == 403


def test_topic_state_admin_searches_by_learner_email_and_hides_the_note(admin_client, content):
    found = admin_client.get(admin_url(TopicState, "changelist"), {"q": "ada@example.com"})
    missed = admin_client.get(admin_url(TopicState, "changelist"), {"q": "nobody@example.com"})
    change = admin_client.get(admin_url(TopicState, "change", content.state.pk))

    assert list(found.context["cl"].result_list) == [content.state]
    assert list(missed.context["cl"].result_list) == []
    assert "My private thoughts" not in change.text


def test_topic_state_admin_filters_by_state(admin_client, content):
    learning = admin_client.get(admin_url(TopicState, "changelist"), {"state__exact": "learning"})
    done = admin_client.get(admin_url(TopicState, "changelist"), {"state__exact": "done"})

    assert list(learning.context["cl"].result_list) == []
    assert list(done.context["cl"].result_list) == [content.state]


def test_portfolio_admin_searches_by_title(admin_client, content):
    response = admin_client.get(admin_url(PortfolioProject, "changelist"), {"q": "cat or dog"})

    assert list(response.context["cl"].result_list) == [content.portfolio]
