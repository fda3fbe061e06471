"""Hostile input never gives a 500 or stores something unsafe."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.models import PortfolioProject, TopicState
from tests.learning.factories import TopicFactory

pytestmark = pytest.mark.django_db

NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50).map(lambda s: s * 50),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "\x00\x00",
            "' OR 1=1 --",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ‮ reversed",
            "a" * 5000,
            "[x](javascript:alert(1))",
            '<img src=x onerror="alert(1)">',
        ]
    ),
)
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYPOTHESIS
@given(query=NASTY_TEXT)
def test_search_answers_any_query_without_error(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)" not in response.content


@HYPOTHESIS
@given(note=NASTY_TEXT)
def test_notes_never_store_unsafe_output(learner_client, learner, note):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("learning:topic-note", args=[topic.slug]), {"note": note}
    )
    assert response.status_code in (302, 400)
    page = learner_client.get(topic.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert 'onerror="alert' not in page
    assert 'href="javascript:' not in page
    if response.status_code == 400:
        assert not TopicState.objects.filter(user=learner, topic=topic).exclude(note="").exists()


@HYPOTHESIS
@given(state=NASTY_TEXT)
def test_topic_state_refuses_unknown_states(learner_client, learner, state):
    topic = TopicFactory()
    response = learner_client.post(
        reverse("learning:topic-state", args=[topic.slug]),
        {"state": state},
        headers={"HX-Request": "true"},
    )
    if state in TopicState.State.values:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert not TopicState.objects.filter(user=learner, topic=topic).exists()


@HYPOTHESIS
@given(
    title=NASTY_TEXT,
    url=st.one_of(
        st.text(max_size=100),
        st.sampled_from(
            [
                "javascript:alert(1)",
                "data:text/html,x",
                "ftp://example.com",
                "https://ok.example.com/x",
            ]
        ),
    ),
    started=st.one_of(st.just(""), st.dates().map(str), st.text(max_size=12)),
)
def test_portfolio_form_validates_everything(learner_client, learner, title, url, started):
    before = PortfolioProject.objects.count()
    response = learner_client.post(
        reverse("learning:portfolio-create"),
        {"title": title, "status": "planned", "repository_url": url, "started_on": started},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        project = PortfolioProject.objects.latest("pk")
        assert project.repository_url == "" or project.repository_url.startswith(
            ("http://", "https://")
        )
        assert "\x00" not in project.title
    else:
        assert PortfolioProject.objects.count() == before
