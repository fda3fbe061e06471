"""Every page keeps a fixed number of SQL queries, however much content and progress
there is: the count for a small set equals the count for a set many times larger, both
when a page is rendered afresh and when it is served from its stored fragments."""

import pytest
from django.urls import reverse

from tests.conftest import build_catalogue, count_queries, stored_page_queries

pytestmark = pytest.mark.django_db

# Exact queries per page: (rendered afresh, viewed again from stored fragments). A change
# here is a change in what a page reads; say why in the commit that changes it.
# The first page of a content version builds the content caches that later pages share:
# the home page pays for the catalogue (4) and the roles' paths (topics and their
# prerequisite links: 2) besides its own 3.
PUBLIC_QUERIES = {
    "home": (9, 0),
    "role-list": (1, 0),
    "role-detail": (7, 0),
    "module-list": (1, 0),
    "module-detail": (4, 0),
    "topic-detail": (6, 0),
    "project-list": (3, 3),
    "search": (4, 0),
    # The role's map: its path (from the home page) and its head (from the role page) are
    # cached already, its layout is content; the module's map reads the module's topics
    # and their prerequisites once per content version to lay them out.
    "role-map": (0, 0),
    "module-map": (2, 0),
}
# Signed in, with sessions read from the database (the session and the user are two of
# them); where the session store reads from the cache, one fewer on every page.
SIGNED_IN_QUERIES = {
    "home": (11, 2),
    "role-list": (5, 2),
    "role-detail": (9, 2),
    "module-list": (4, 2),
    "module-detail": (8, 2),
    "topic-detail": (11, 2),
    "project-list": (5, 5),
    "search": (6, 2),
    "role-map": (3, 2),  # the third: the learner's states (figures, marks, next-up)
    "module-map": (5, 2),
    # Readiness states, next-up rows (2) and their marks, reviews due; on a first visit
    # also the newest content version (cached after) and the learner's "seen" mark
    # (written once; since_last_visit).
    "dashboard": (11, 2),
    "portfolio-list": (4, 2),
    "portfolio-create": (3, 3),
    "public-progress": (7, 7),  # the seventh: verified topics with their dates
}
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
        "role-map": reverse("careers:role-map", args=[role.slug]),
        "module-map": reverse("learning:module-map", args=[module.slug]),
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
    assert small == large == PUBLIC_QUERIES


def test_signed_in_pages_have_a_fixed_query_count(client, learner):
    learner.public_handle = "ada"
    learner.is_progress_public = True
    learner.save()
    client.force_login(learner)
    small = counts_for(client, SMALL, learner=learner)
    large = counts_for(client, LARGE, learner=learner)
    session_from_cache = 2 - stored_page_queries()
    expected = {
        name: (fresh - session_from_cache, again - session_from_cache)
        for name, (fresh, again) in SIGNED_IN_QUERIES.items()
    }
    assert small == large == expected
    # Stored pages: the user (and the session where it is not read from the cache).
    stored = {"home", "role-list", "role-detail", "module-list", "module-detail"}
    stored |= {"topic-detail", "dashboard", "portfolio-list", "role-map", "module-map"}
    assert {name: large[name][1] for name in stored} == dict.fromkeys(stored, stored_page_queries())


# Checks (issue 16): a fixed number of queries whatever the bank and the history.
CHECK_QUERIES = {
    "topic-check start": 5,  # session, user, topic, its resources, its question count
    # session, user, the attempt's head (whose, submitted, expired), its answers with
    # questions and attempt
    "check page": 4,
    "result page": 5,  # ... and the topic's resources
    "review session": 4,
    "review result": 5,  # ... and the learner's notes on the topics asked
    # Viewed again: the page is stored (session, user, the attempt's head).
    "result page again": 3,
    "review session again": 3,
}


def check_counts(client, learner, *, questions_per_topic, history):
    import datetime as dt

    from django.utils import timezone

    from learning.checks import attempt_submit, review_start, topic_check_start
    from learning.services import topic_note_set, topic_state_set
    from tests.learning.factories import QuestionFactory, ResourceFactory, TopicFactory
    from tests.learning.test_checks import answers_for

    def submit(attempt, now=None):
        from django.http import QueryDict

        posted = QueryDict(mutable=True)
        for key, values in answers_for(attempt).items():
            posted.setlist(key, values)
        attempt_submit(user=learner, attempt_id=attempt.pk, posted=posted, now=now)

    topics = [TopicFactory() for _ in range(max(3, history // 3))]
    for topic in topics:
        ResourceFactory(topic=topic)
        for _ in range(questions_per_topic):
            QuestionFactory(topic=topic)
    past = timezone.now() - dt.timedelta(days=30)
    for index in range(history):  # earlier attempts, submitted
        moment = past + dt.timedelta(hours=index)
        submit(
            topic_check_start(user=learner, topic=topics[index % len(topics)], now=moment), moment
        )
    topic = topics[0]
    url = reverse("learning:topic-check", args=[topic.module.slug, topic.slug])
    counts = {"topic-check start": count_queries(client, url)}
    fresh = TopicFactory()
    ResourceFactory(topic=fresh)
    for _ in range(questions_per_topic):
        QuestionFactory(topic=fresh)
    attempt = topic_check_start(user=learner, topic=fresh)
    attempt_url = reverse("learning:check-attempt", args=[attempt.pk])
    counts["check page"] = count_queries(client, attempt_url)
    submit(attempt)
    counts["result page"] = count_queries(client, attempt_url)
    counts["result page again"] = count_queries(client, attempt_url)
    for other in topics:
        topic_state_set(user=learner, topic=other, state="done", at=past)
        topic_note_set(user=learner, topic=other, note="Mine.")
    review = review_start(user=learner)
    review_url = reverse("learning:check-attempt", args=[review.pk])
    counts["review session"] = count_queries(client, review_url)
    counts["review session again"] = count_queries(client, review_url)
    submit(review)
    counts["review result"] = count_queries(client, review_url)
    return counts


@pytest.mark.parametrize(
    ("questions_per_topic", "history"), [(3, 0), (8, 60)], ids=["small", "large"]
)
def test_check_pages_have_a_fixed_query_count(client, learner, questions_per_topic, history):
    client.force_login(learner)
    session_from_cache = 2 - stored_page_queries()
    expected = {name: count - session_from_cache for name, count in CHECK_QUERIES.items()}

    counts = check_counts(client, learner, questions_per_topic=questions_per_topic, history=history)

    assert counts == expected


# A tick from a topic row (htmx), on the module page and on the dashboard: the session
# and the user, the learner's complete topics (readiness and the module's figures before;
# the written row updates them for after), and the write: the row locked (or created),
# its update and the history row. The state before is the locked row's, and the answer's
# row is marked from the written row, so neither costs a query.
TICK_QUERIES = {"module page": 6, "dashboard": 6}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_a_tick_takes_a_fixed_number_of_queries(client, learner, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = build_catalogue(**size, learner=learner)
    learner.target_role = content["roles"][0]
    learner.save()
    client.force_login(learner)
    topic = content["topics"][-1]
    posts = {
        "module page": (reverse("learning:topic-state", args=[topic.slug]), {}),
        "dashboard": (reverse("careers:dashboard"), {"topic": topic.slug}),
    }
    session_from_cache = 2 - stored_page_queries()
    counts = {}
    for name, (url, fields) in posts.items():
        client.post(url, {**fields, "state": "learning"}, HTTP_HX_REQUEST="true")  # warm
        with CaptureQueriesContext(connection) as context:
            response = client.post(url, {**fields, "state": "done"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "✓" in response.content.decode()
        counts[name] = len(context) + session_from_cache
        client.post(url, {**fields, "state": "not_started"}, HTTP_HX_REQUEST="true")
    assert counts == TICK_QUERIES
