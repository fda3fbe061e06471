"""Portfolio submissions: a repeated submission creates one project; addresses with a
user name in them are refused; each problem is said once."""

import pytest
from django.urls import reverse

from learning.models import PortfolioProject
from tests.learning.factories import ModuleFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def project_data(**overrides):
    return {
        "title": "RAG chatbot",
        "description": "Retrieval over my notes.",
        "status": "in_progress",
        "repository_url": "https://github.com/ada/rag",
        **overrides,
    }


def create(client, data):
    return client.post(reverse("learning:portfolio-create"), data)


def test_a_repeated_identical_submission_creates_one_project(learner_client, learner):
    module = ModuleFactory()
    data = project_data(modules=[module.pk])
    first, second = create(learner_client, data), create(learner_client, data)
    assert first.status_code == second.status_code == 302
    assert learner.portfolio_projects.count() == 1
    assert list(learner.portfolio_projects.get().modules.all()) == [module]


def test_a_repeat_from_the_same_idea_creates_one_project(learner_client, learner):
    idea = ProjectIdeaFactory()
    create(learner_client, project_data(idea=idea.slug))
    create(learner_client, project_data(idea=idea.slug))
    assert learner.portfolio_projects.get().idea == idea


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Another chatbot"},
        {"description": "Something else."},
        {"status": "done"},
        {"repository_url": "https://github.com/ada/other"},
        {"started_on": "2026-01-05"},
    ],
)
def test_a_different_submission_creates_another_project(learner_client, learner, change):
    create(learner_client, project_data())
    create(learner_client, project_data(**change))
    assert learner.portfolio_projects.count() == 2


def test_different_modules_make_a_different_project(learner_client, learner):
    first, second = ModuleFactory(), ModuleFactory()
    create(learner_client, project_data(modules=[first.pk]))
    create(learner_client, project_data(modules=[first.pk, second.pk]))
    assert learner.portfolio_projects.count() == 2


def test_the_same_project_again_after_the_window_is_created(learner_client, learner):
    from datetime import timedelta

    from django.utils import timezone

    create(learner_client, project_data())
    PortfolioProject.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    create(learner_client, project_data())
    assert learner.portfolio_projects.count() == 2


def test_another_learners_identical_project_does_not_count(
    learner_client, learner, other_learner, client
):
    create(learner_client, project_data())
    client.force_login(other_learner)
    create(client, project_data())
    assert PortfolioProject.objects.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://host@evil.example/",
        "https://github.com@evil.example/ada/rag",
        "https://user:secret@github.com/ada/rag",
    ],
)
def test_addresses_with_a_user_name_are_refused(learner_client, learner, url):
    response = create(learner_client, project_data(repository_url=url, demo_url=url))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Leave out the “name@” part") == 2  # once for each field
    assert not learner.portfolio_projects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "not a url"])
def test_a_bad_address_is_reported_once(learner_client, url):
    response = create(learner_client, project_data(repository_url=url))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Enter a web address starting with http:// or https://.") == 1
    assert "Enter a valid URL" not in html
