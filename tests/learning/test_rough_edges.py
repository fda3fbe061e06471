"""Rough edges of learning's pages, each fixed: steps as real lists, the note's help text
as its description, an idea already in the portfolio, delete styled as dangerous, search
that puts title matches first."""

import pytest
from django.conf import settings
from django.urls import reverse

from common.markup import render_markdown
from learning.models import Topic
from tests.learning.factories import PortfolioProjectFactory, ProjectIdeaFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_a_list_right_after_a_line_of_text_is_a_real_list():
    html = render_markdown("**Suggested steps:**\n- Choose a dataset.\n- Train a baseline.")
    assert "<ul>" in html and "<li>Choose a dataset.</li>" in html
    assert "- Choose" not in html
    numbered = render_markdown("Steps:\n1. One\n2. Two")
    assert "<ol>" in numbered and "<li>One</li>" in numbered
    # A hyphen inside a sentence stays text.
    assert "<ul>" not in render_markdown("A well-known trick - really.")


def test_project_steps_show_as_a_list(client):
    idea = ProjectIdeaFactory(description="Build it.\n\n**Suggested steps:**\n- One\n- Two")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "<li>One</li>" in html and "<li>Two</li>" in html


def test_the_note_is_described_by_its_help_text(learner_client):
    topic = TopicFactory()
    html = learner_client.get(topic.get_absolute_url()).content.decode()
    assert 'aria-describedby="id_note_helptext"' in html
    assert '<div class="help" id="id_note_helptext">Markdown. Only you can see it.</div>' in html


def test_an_idea_already_in_the_portfolio_is_not_offered_again(learner_client, learner):
    idea = ProjectIdeaFactory()
    html = learner_client.get(idea.get_absolute_url()).content.decode()
    assert "Add to my portfolio" in html
    project = PortfolioProjectFactory(user=learner, idea=idea, title="My chatbot")
    html = learner_client.get(idea.get_absolute_url()).content.decode()
    assert "Add to my portfolio" not in html
    assert "In your portfolio" in html
    assert f'href="{reverse("learning:portfolio-edit", args=[project.pk])}">My chatbot</a>' in html


def test_delete_in_the_portfolio_is_styled_as_dangerous(learner_client, learner):
    project = PortfolioProjectFactory(user=learner)
    html = learner_client.get(reverse("learning:portfolio-list")).content.decode()
    delete = reverse("learning:portfolio-delete", args=[project.pk])
    assert f'class="button button-danger-quiet button-small" href="{delete}"' in html


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="the issue's SQLite ranking; PostgreSQL ranks with full-text search weights",
)
def test_search_ranks_title_matches_first():
    matches = ["The transformer architecture", "Attention before transformers"]
    TopicFactory(title="Positional encodings", description="Used by every transformer model.")
    TopicFactory(title="Attention before transformers", description="Where it began.")
    TopicFactory(title="Beam search", description="Decoding for a transformer or an RNN.")
    TopicFactory(title="The transformer architecture", description="Encoder and decoder.")
    titles = list(Topic.objects.active().search("transformer").values_list("title", flat=True))
    assert titles[:2] == sorted(matches)
    assert set(titles[2:]) == {"Beam search", "Positional encodings"}
    whole = (
        Topic.objects.active().search("transformer architecture").values_list("title", flat=True)
    )
    assert list(whole) == ["The transformer architecture"]
