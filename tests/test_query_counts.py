"""Every page keeps a fixed number of SQL queries, however much content and progress
there is: the count for a small set equals the count for a set many times larger, both
when a page is rendered afresh and when it is served from its stored fragments."""

import pytest
from django.urls import reverse

from tests.conftest import build_catalogue, count_queries, stored_page_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
SMALL = {"roles": 2, "modules": 2, "topics_per_module": 3, "ideas": 1}
LARGE = {"roles": 8, "modules": 10, "topics_per_module": 12, "ideas": 6}


def page_urls(content):
    role = content["roles"][0]
    module = content["modules"][0]
    topic = content["topics"][-1]
    return {
        "home": reverse("home"),
        "role-list": reverse("careers:role-list"),
        "role-detail": role.get_absolute_url(),
        "module-list": reverse("learning:module-list"),
        "module-detail": module.get_absolute_url(),
        "topic-detail": topic.get_absolute_url(),
        "project-list": reverse("learning:project-list"),
        "search": reverse("search") + "?q=topic",
    }


LEARNER_PAGES = ["dashboard", "portfolio-list", "portfolio-create", "public-progress"]


def learner_urls(learner):
    return {
        "dashboard": reverse("careers:dashboard"),
        "portfolio-list": reverse("learning:portfolio-list"),
        "portfolio-create": reverse("learning:portfolio-create"),
        "public-progress": reverse("public-progress", args=[learner.public_handle]),
    }


def counts_for(client, size, learner=None):
    """{page: (queries rendered afresh, queries when viewed again)}."""
    content = build_catalogue(**size, learner=learner)
    urls = page_urls(content)
    if learner is not None:
        urls |= learner_urls(learner)
    return {
        name: (count_queries(client, url), count_queries(client, url)) for name, url in urls.items()
    }


def test_public_pages_have_a_fixed_query_count(client):
    small = counts_for(client, SMALL)
    large = counts_for(client, LARGE)
    assert small == large
    assert max(max(counts) for counts in large.values()) <= MAX_QUERIES, large


def test_signed_in_pages_have_a_fixed_query_count(client, learner):
    learner.public_handle = "ada"
    learner.is_progress_public = True
    learner.save()
    client.force_login(learner)
    small = counts_for(client, SMALL, learner=learner)
    large = counts_for(client, LARGE, learner=learner)
    assert small == large
    assert max(max(counts) for counts in large.values()) <= MAX_QUERIES, large
    # Stored pages: the user (and the session where it is not read from the cache).
    stored = {"home", "role-list", "role-detail", "module-list", "module-detail"}
    stored |= {"topic-detail", "dashboard", "portfolio-list"}
    assert {name: large[name][1] for name in stored} == dict.fromkeys(stored, stored_page_queries())
