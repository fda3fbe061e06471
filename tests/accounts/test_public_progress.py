import pytest
from django.urls import reverse

from tests.learning.factories import (
    PortfolioProjectFactory,
    TopicStateFactory,
)

pytestmark = pytest.mark.django_db


# Public progress page


def test_public_page_shows_only_when_opted_in(client, learner):
    learner.public_handle = "ada"
    learner.save()
    url = reverse("public-progress", args=["ada"])
    assert client.get(url).status_code == 404
    learner.is_progress_public = True
    learner.save()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert learner.email not in html


def test_public_page_never_shows_notes_or_unfinished_projects(client, learner):
    learner.public_handle = "ada"
    learner.is_progress_public = True
    learner.save()
    TopicStateFactory(user=learner, note="secret note text")
    PortfolioProjectFactory(user=learner, title="Half-built thing", status="in_progress")
    PortfolioProjectFactory(user=learner, title="Finished thing", status="done")
    html = client.get(reverse("public-progress", args=["ada"])).content.decode()
    assert "secret note text" not in html
    assert "Half-built thing" not in html
    assert "Finished thing" in html
