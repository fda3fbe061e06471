"""Rendered fragments kept in memory: the store itself, its keys, the CSRF token a stored
form carries, and that a page viewed before any change shows the change afterwards."""

import datetime as dt
import json
import re
from html import escape
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.data_file.export import user_export
from common.cache import content_version, page_versions
from common.fragments import CSRF_PLACEHOLDER, FragmentCache, fragment_key, fragments
from learning.models import Module, Topic, TopicState
from learning.services import topic_note_set, topic_state_set
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.conftest import build_catalogue, count_queries, stored_page_queries
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    TopicFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def row_state(html, topic):
    """The state the topic's row shows."""
    match = re.search(rf'id="topic-{re.escape(topic.slug)}" data-state="(\w+)"', html)
    assert match, f"no row for {topic.slug}"
    return match[1]


def readiness(html):
    return int(re.search(r'data-testid="readiness">(\d+)%', html)[1])


def csrf_tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


@pytest.fixture
def path(learner):
    """The learner's target role: one core module of two 10-hour topics."""
    role = RoleFactory(title="Prompt Engineer")
    module = ModuleFactory(title="Prompting")
    RoleRequirementFactory(role=role, module=module)
    topics = [TopicFactory(module=module, order=n, hours=10) for n in range(2)]
    learner.target_role = role
    learner.save()
    return SimpleNamespace(role=role, module=module, topics=topics)


# FragmentCache


def test_fragment_cache_evicts_least_recently_stored_entries_past_its_budget():
    cache = FragmentCache(max_chars=10)
    cache.set("a", "aaaa")
    cache.set("b", "bbbb")
    cache.set("c", "cccc")
    assert cache.get("a") is None
    assert (cache.get("b"), cache.get("c")) == ("bbbb", "cccc")
    assert cache.size_chars == 8


def test_fragment_cache_read_makes_an_entry_recently_used():
    cache = FragmentCache(max_chars=10)
    cache.set("a", "aaaa")
    cache.set("b", "bbbb")
    assert cache.get("a") == "aaaa"
    cache.set("c", "cccc")
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == ("aaaa", "cccc")


def test_fragment_cache_does_not_store_a_value_larger_than_its_budget():
    cache = FragmentCache(max_chars=10)
    cache.set("small", "aaaa")
    cache.set("huge", "x" * 11)
    assert cache.get("huge") is None
    assert cache.get("small") == "aaaa"
    assert cache.size_chars == 4


def test_fragment_cache_storing_a_key_again_counts_only_the_new_value():
    cache = FragmentCache(max_chars=10)
    cache.set("a", "aaaaaaaa")
    cache.set("a", "aa")
    cache.set("b", "bbbbbbbb")
    assert (cache.get("a"), cache.get("b")) == ("aa", "bbbbbbbb")
    assert cache.size_chars == 10


def test_fragment_cache_clear_empties_it():
    cache = FragmentCache(max_chars=10)
    cache.set("a", "aaaa")
    cache.set("b", "bbbb")
    cache.clear()
    assert len(cache) == 0 and cache.size_chars == 0
    assert cache.get("a") is None
    cache.set("c", "cccccccccc")
    assert cache.get("c") == "cccccccccc"


# fragment_key

BASE_INPUTS = ["v1", 7, "done", None, True, dt.date(2026, 3, 2), [1, 2]]


def test_fragment_key_is_the_same_for_equal_inputs():
    again = ["v" + "1", 3 + 4, "done", None, True, dt.date(2026, 3, 2), [1, 2]]
    assert fragment_key("row", BASE_INPUTS) == fragment_key("row", again)


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (0, "v2"),
        (1, 8),
        (1, "7"),
        (1, 7.5),
        (2, "learning"),
        (3, ""),
        (3, False),
        (4, False),
        (4, 1),
        (5, dt.date(2026, 3, 3)),
        (5, dt.datetime(2026, 3, 2)),
        (6, [2, 1]),
        (6, [1, 2, 3]),
    ],
)
def test_fragment_key_changes_with_any_input(index, value):
    changed = list(BASE_INPUTS)
    changed[index] = value
    assert fragment_key("row", changed) != fragment_key("row", BASE_INPUTS)


def test_fragment_key_changes_with_the_name_and_the_number_of_inputs():
    base = fragment_key("row", BASE_INPUTS)
    assert fragment_key("page", BASE_INPUTS) != base
    assert fragment_key("row", [*BASE_INPUTS, None]) != base
    assert fragment_key("row", BASE_INPUTS[:-1]) != base


def test_fragment_key_counts_a_model_instance_by_label_and_pk():
    topic = TopicFactory(title="Attention")
    other = TopicFactory()
    same_row = Topic.objects.get(pk=topic.pk)
    same_row.title = "Edited in memory only"
    assert fragment_key("row", [same_row]) == fragment_key("row", [topic])
    assert fragment_key("row", [SimpleLazyObject(lambda: topic)]) == fragment_key("row", [topic])
    assert fragment_key("row", [other]) != fragment_key("row", [topic])
    assert fragment_key("row", [Module(pk=topic.pk)]) != fragment_key("row", [topic])


@pytest.mark.parametrize(
    "value",
    [object(), {"state": "done"}, {1, 2}, [1, object()], SimpleLazyObject(object)],
    ids=["object", "dict", "set", "nested-object", "lazy-object"],
)
def test_fragment_key_refuses_what_it_cannot_tell_apart_by_value(value):
    with pytest.raises(TypeError, match="cannot be part of a fragment key"):
        fragment_key("row", ["v1", value])


# Versions


def test_a_learners_save_retires_their_pages_at_once_and_again_on_commit(
    learner, django_capture_on_commit_callbacks
):
    before = page_versions(learner)
    with django_capture_on_commit_callbacks(execute=True):
        learner.weekly_hours = 9
        learner.save()
        during = page_versions(learner)
    after = page_versions(learner)
    assert during[1] != before[1]
    assert after[1] != during[1]
    assert before[0] == during[0] == after[0]


def test_a_content_save_retires_pages_at_once_and_again_on_commit(
    django_capture_on_commit_callbacks,
):
    topic = TopicFactory()
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        topic.title = "Renamed"
        topic.save()
        during = content_version()
    after = content_version()
    assert during != before
    assert after != during


def test_a_learners_save_leaves_other_learners_and_visitors_alone(learner, other_learner):
    other_before = page_versions(other_learner)
    learner.save()
    assert page_versions(other_learner) == other_before
    assert page_versions(AnonymousUser())[1] == "anonymous"


# CSRF in shared fragments


@pytest.fixture
def shared_module(learner, other_learner):
    """A module page seen by two learners in browsers of their own: its topic rows and
    the site header are the same fragments for both."""
    module = ModuleFactory()
    topics = [TopicFactory(module=module, order=n) for n in range(2)]
    browsers = []
    for user in (learner, other_learner):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        browsers.append(browser)
    return SimpleNamespace(module=module, topics=topics, browsers=browsers)


def test_each_browser_gets_its_own_csrf_token_in_shared_fragments(shared_module):
    first, second = shared_module.browsers
    url = shared_module.module.get_absolute_url()
    first_html = page(first, url)
    stored = len(fragments)
    second_html = page(second, url)

    # Only the second learner's own page was new; rows and header came from the store.
    assert len(fragments) == stored + 1
    first_tokens, second_tokens = set(csrf_tokens(first_html)), set(csrf_tokens(second_html))
    # Header sign-out form and both rows carry a token, one per page, and not the same one.
    assert len(csrf_tokens(second_html)) == 3
    assert len(first_tokens) == len(second_tokens) == 1
    assert first_tokens != second_tokens and "" not in first_tokens | second_tokens
    assert CSRF_PLACEHOLDER not in first_html and CSRF_PLACEHOLDER not in second_html


def test_a_no_js_post_with_the_token_from_a_stored_fragment_succeeds(shared_module, other_learner):
    first, second = shared_module.browsers
    module_url = shared_module.module.get_absolute_url()
    topic = shared_module.topics[0]
    first_token = csrf_tokens(page(first, module_url))[0]
    second_token = csrf_tokens(page(second, module_url))[0]
    state_url = reverse("learning:topic-state", args=[topic.slug])
    form = {"state": "done", "next": module_url}

    refused = second.post(state_url, {**form, "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403
    assert not TopicState.objects.filter(user=other_learner).exists()

    response = second.post(state_url, {**form, "csrfmiddlewaretoken": second_token})
    assert response.status_code == 302
    assert TopicState.objects.get(user=other_learner, topic=topic).state == "done"
    html = page(second, module_url)
    assert row_state(html, topic) == "done"
    assert CSRF_PLACEHOLDER not in html


PROBE = (
    '{% cachedfragment "probe" 1 %}<form method="post">{% csrf_token %}</form>'
    "{% endcachedfragment %}"
)


def test_the_tag_stores_a_placeholder_and_gives_each_request_its_own_token(rf):
    template = engines["django"].from_string(PROBE)
    requests = [rf.get("/"), rf.get("/")]
    for request in requests:
        request.user = AnonymousUser()

    first, second = (csrf_tokens(template.render({}, request)) for request in requests)

    assert csrf_tokens(fragments.get(fragment_key("probe", [1]))) == [CSRF_PLACEHOLDER]
    assert len(first) == len(second) == 1
    assert len(first[0]) == len(second[0]) == CSRF_TOKEN_LENGTH
    assert first != second


def test_the_tag_leaves_no_placeholder_where_there_is_no_token():
    template = engines["django"].from_string(PROBE)
    template.render({})  # stored
    html = template.render({})  # served from the store
    assert csrf_tokens(html) == [""]
    assert CSRF_PLACEHOLDER not in html


def test_the_csrf_placeholder_never_reaches_a_response(client, learner, learner_client):
    content = build_catalogue(learner=learner)
    topic = content["topics"][0]
    urls = [
        reverse("home"),
        reverse("careers:role-list"),
        content["roles"][0].get_absolute_url(),
        reverse("learning:module-list"),
        content["modules"][0].get_absolute_url(),
        topic.get_absolute_url(),
    ]
    for _ in range(2):  # stored, then served from the store
        for url in urls:
            assert CSRF_PLACEHOLDER not in page(client, url)
        for url in [*urls, reverse("careers:dashboard"), reverse("learning:portfolio-list")]:
            assert CSRF_PLACEHOLDER not in page(learner_client, url)
        for view in ["", "dashboard"]:
            response = learner_client.post(
                reverse("learning:topic-state", args=[topic.slug]),
                {"state": "learning", "view": view},
                headers={"HX-Request": "true"},
            )
            html = response.content.decode()
            assert response.status_code == 200 and "csrfmiddlewaretoken" in html
            assert CSRF_PLACEHOLDER not in html


# Pages viewed before a change show it afterwards


def test_a_ticked_topic_shows_on_the_module_page_and_dashboard_viewed_before(
    learner_client, learner, path
):
    topic = path.topics[0]
    module_url = path.module.get_absolute_url()
    assert row_state(page(learner_client, module_url), topic) == "not_started"
    assert readiness(page(learner_client, reverse("careers:dashboard"))) == 0

    topic_state_set(user=learner, topic=topic, state="done")

    module_html = page(learner_client, module_url)
    assert row_state(module_html, topic) == "done"
    assert 'data-testid="target-readiness">50%' in module_html
    assert readiness(page(learner_client, reverse("careers:dashboard"))) == 50


def test_a_note_shows_on_the_topic_page_viewed_before(learner_client, learner):
    topic = TopicFactory()
    assert "Read the attention paper" not in page(learner_client, topic.get_absolute_url())

    topic_note_set(user=learner, topic=topic, note="Read the attention paper")

    assert "Read the attention paper" in page(learner_client, topic.get_absolute_url())


def test_a_new_portfolio_project_shows_on_the_portfolio_and_dashboard_viewed_before(
    learner_client, learner, path
):
    portfolio_url = reverse("learning:portfolio-list")
    dashboard_url = reverse("careers:dashboard")
    card = '<h2 class="h3">Prompt library</h2>'
    assert card not in page(learner_client, portfolio_url)
    assert "Prompt library" not in page(learner_client, dashboard_url)

    response = learner_client.post(
        reverse("learning:portfolio-create"),
        {"title": "Prompt library", "status": "done", "modules": [path.module.pk]},
    )

    assert response.status_code == 302
    assert card in page(learner_client, portfolio_url)
    project = learner.portfolio_projects.get()
    evidence = f'<a href="{reverse("learning:portfolio-edit", args=[project.pk])}">'
    assert evidence + "Prompt library</a>" in page(learner_client, dashboard_url)


def test_a_deleted_portfolio_project_leaves_the_portfolio_and_dashboard_viewed_before(
    learner_client, learner, path
):
    project = PortfolioProjectFactory(
        user=learner, title="Prompt library", status="done", modules=[path.module]
    )
    portfolio_url = reverse("learning:portfolio-list")
    dashboard_url = reverse("careers:dashboard")
    card = '<h2 class="h3">Prompt library</h2>'
    assert card in page(learner_client, portfolio_url)
    assert "Prompt library" in page(learner_client, dashboard_url)

    response = learner_client.post(reverse("learning:portfolio-delete", args=[project.pk]))

    assert response.status_code == 302
    assert card not in page(learner_client, portfolio_url)
    dashboard_html = page(learner_client, dashboard_url)
    assert "Prompt library" not in dashboard_html and "no project yet" in dashboard_html


def test_a_project_linked_to_a_module_later_shows_as_evidence_on_the_dashboard(
    learner_client, learner, path
):
    project = PortfolioProjectFactory(user=learner, title="Prompt library", status="done")
    assert "Prompt library" not in page(learner_client, reverse("careers:dashboard"))

    project.modules.add(path.module)

    assert "Prompt library" in page(learner_client, reverse("careers:dashboard"))


def test_a_project_linked_from_the_modules_side_shows_as_evidence_on_the_dashboard(
    learner_client, learner, path
):
    project = PortfolioProjectFactory(user=learner, title="Prompt library", status="done")
    assert "Prompt library" not in page(learner_client, reverse("careers:dashboard"))

    path.module.portfolio_projects.add(project)

    assert "Prompt library" in page(learner_client, reverse("careers:dashboard"))
    path.module.portfolio_projects.remove(project)
    assert "Prompt library" not in page(learner_client, reverse("careers:dashboard"))
    path.module.portfolio_projects.add(project)
    assert "Prompt library" in page(learner_client, reverse("careers:dashboard"))

    path.module.portfolio_projects.clear()

    assert "Prompt library" not in page(learner_client, reverse("careers:dashboard"))


def test_a_target_role_changed_in_settings_shows_on_the_dashboard_and_role_pages(
    learner_client, learner, path
):
    new_role = RoleFactory(title="Evaluation Engineer")
    dashboard_url = reverse("careers:dashboard")
    old_url, new_url = path.role.get_absolute_url(), new_role.get_absolute_url()
    assert "Target role: <a" in page(learner_client, dashboard_url)
    assert "This is your target role" in page(learner_client, old_url)
    assert "This is your target role" not in page(learner_client, new_url)

    response = learner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Ada",
            "target_role": str(new_role.pk),
            "weekly_hours": "5",
            "time_zone": "UTC",
            "study_days": ["5"],
            "study_time": "18:00",
        },
    )

    assert response.status_code == 302
    dashboard_html = page(learner_client, dashboard_url)
    assert f'Target role: <a href="{new_url}">Evaluation Engineer</a>' in dashboard_html
    assert "This is your target role" not in page(learner_client, old_url)
    assert "This is your target role" in page(learner_client, new_url)


def test_an_imported_export_file_shows_on_pages_viewed_before(learner_client, learner, path):
    topic = path.topics[0]
    TopicStateFactory(user=learner, topic=topic, state="done")
    exported = user_export(user=learner)
    # A bulk delete sends no signal: the pages below are rendered without the state.
    TopicState.objects.filter(user=learner).delete()
    module_url = path.module.get_absolute_url()
    assert row_state(page(learner_client, module_url), topic) == "not_started"
    assert readiness(page(learner_client, reverse("careers:dashboard"))) == 0

    response = learner_client.post(
        reverse("accounts:import"),
        {
            "file": SimpleUploadedFile(
                "genai-pathways-export.json",
                json.dumps(exported).encode(),
                content_type="application/json",
            )
        },
    )

    assert response.status_code == 302
    assert row_state(page(learner_client, module_url), topic) == "done"
    assert readiness(page(learner_client, reverse("careers:dashboard"))) == 50


def test_a_content_edit_shows_on_the_module_page_viewed_before(learner_client, path):
    visitor = Client()
    topic = path.topics[0]
    topic.title = "Zero-shot prompting"
    topic.save()
    module_url = path.module.get_absolute_url()
    assert "Zero-shot prompting" in page(learner_client, module_url)
    assert "Zero-shot prompting" in page(visitor, module_url)

    topic.title = "Few-shot prompting"
    topic.save()

    for browser in (learner_client, visitor):
        html = page(browser, module_url)
        assert "Few-shot prompting" in html and "Zero-shot prompting" not in html


# Pages stored for one learner are theirs alone


def test_a_learners_stored_pages_are_never_shown_to_another_learner(
    learner_client, learner, other_learner, path
):
    topic = path.topics[0]
    topic_state_set(user=learner, topic=topic, state="done")
    other_learner.target_role = path.role
    other_learner.save()
    module_url = path.module.get_absolute_url()
    dashboard_url = reverse("careers:dashboard")
    assert row_state(page(learner_client, module_url), topic) == "done"
    assert readiness(page(learner_client, dashboard_url)) == 50
    assert "You are 50% ready" in page(learner_client, reverse("careers:role-list"))

    other = Client()
    other.force_login(other_learner)

    assert row_state(page(other, module_url), topic) == "not_started"
    assert readiness(page(other, dashboard_url)) == 0
    assert "You are 50% ready" not in page(other, reverse("careers:role-list"))


def test_a_learners_stored_pages_are_never_shown_to_a_visitor(learner_client, learner, path):
    topic = path.topics[0]
    # Neither has done its prerequisite: the row differs only in who is looking.
    TopicFactory(module=path.module, order=2, prerequisites=[path.topics[1]])
    topic_state_set(user=learner, topic=topic, state="done")
    module_url = path.module.get_absolute_url()
    for url in [reverse("home"), module_url, path.role.get_absolute_url()]:
        assert "Sign out" in page(learner_client, url)
    assert "Needs:" in page(learner_client, module_url)

    visitor = Client()
    module_html = page(visitor, module_url)
    assert row_state(module_html, topic) == "not_started"
    assert "Needs:" not in module_html and "Builds on:" in module_html
    assert "Sign out" not in module_html and "Sign in" in module_html
    home_html = page(visitor, reverse("home"))
    assert "Start for free" in home_html and "Go to your dashboard" not in home_html
    role_html = page(visitor, path.role.get_absolute_url())
    assert "This is your target role" not in role_html and "Sign out" not in role_html


# The date


def test_a_dashboard_viewed_the_next_day_is_rendered_again(learner_client, path):
    # 20 hours left at 5 hours a week: four weeks from today.
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 2)):
        first_day = page(learner_client, reverse("careers:dashboard"))
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 3)):
        next_day = page(learner_client, reverse("careers:dashboard"))

    assert "ready by <strong>30 March 2026</strong>" in first_day
    assert "ready by <strong>31 March 2026</strong>" in next_day


# Queries


def test_a_stored_module_page_takes_fewer_queries(
    learner_client, learner, path, django_assert_num_queries
):
    topic_state_set(user=learner, topic=path.topics[0], state="done")
    url = path.module.get_absolute_url()
    first = count_queries(learner_client, url)

    with django_assert_num_queries(stored_page_queries()):
        html = page(learner_client, url)

    assert first > 2
    assert row_state(html, path.topics[0]) == "done"


def test_a_stored_dashboard_takes_fewer_queries(
    learner_client, learner, path, django_assert_num_queries
):
    topic_state_set(user=learner, topic=path.topics[0], state="done")
    url = reverse("careers:dashboard")
    first = count_queries(learner_client, url)

    with django_assert_num_queries(stored_page_queries()):
        html = page(learner_client, url)

    assert first > 2
    assert readiness(html) == 50


@pytest.mark.parametrize(
    "text",
    ["csrf-token-placeholder-8c1f0a6e", "<!--csrf-", str(CSRF_PLACEHOLDER)[4:-3]],
)
def test_user_text_never_becomes_the_visitors_csrf_token(learner_client, text):
    # The old fixed placeholder, and anything a visitor could type, stays their text.
    html = page(learner_client, reverse("search") + "?" + urlencode({"q": text}))
    search_boxes = re.findall(r'<input[^>]*name="q"[^>]*value="([^"]*)"', html)
    assert search_boxes and all(value == escape(text) for value in search_boxes)
    assert CSRF_PLACEHOLDER not in html


def test_the_placeholder_is_secret_and_cannot_come_from_escaped_text():
    assert CSRF_PLACEHOLDER.startswith("<!--csrf-") and len(CSRF_PLACEHOLDER) >= 40
    assert CSRF_PLACEHOLDER != "csrf-token-placeholder-8c1f0a6e"
    assert CSRF_PLACEHOLDER not in escape(str(CSRF_PLACEHOLDER))


def test_a_stored_page_keeps_the_html_it_found_when_the_store_evicts_it(rf):
    """The view decides to skip its reads when the page is stored; the page must then be
    served even if the store drops it before the template renders."""
    from common.fragments import stored_page

    fragments.set(fragment_key("some-page", ["v1", 7]), "<p>stored body</p>")
    page = stored_page("some-page", "v1", 7)
    fragments.clear()
    html = (
        engines["django"]
        .from_string("{% cachedfragment page %}<p>{{ missing.read }}</p>{% endcachedfragment %}")
        .render({"page": page}, rf.get("/"))
    )
    assert html == "<p>stored body</p>"


def test_a_page_not_stored_is_rendered_and_stored_under_the_views_key(rf):
    from common.fragments import stored_page

    page = stored_page("another-page", "v1", 8)
    assert not page.stored
    template = engines["django"].from_string(
        "{% cachedfragment page %}<p>{{ body }}</p>{% endcachedfragment %}"
    )
    assert template.render({"page": page, "body": "fresh"}, rf.get("/")) == "<p>fresh</p>"
    assert stored_page("another-page", "v1", 8).html == "<p>fresh</p>"


def test_a_fragment_without_a_name_or_page_is_refused(rf):
    template = engines["django"].from_string("{% cachedfragment page %}x{% endcachedfragment %}")
    with pytest.raises(Exception, match="needs a name or a StoredPage"):
        template.render({}, rf.get("/"))
