import pytest
from django.urls import reverse

from common.cache import content_cache_bump, content_cached, content_version
from tests.careers.factories import RoleFactory
from tests.conftest import count_queries
from tests.learning.factories import ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def test_cached_content_pages_skip_the_database_on_repeat(client):
    RoleFactory.create_batch(3)
    first = count_queries(client, reverse("careers:role-list"))
    second = count_queries(client, reverse("careers:role-list"))
    assert second < first


def test_a_content_save_shows_on_the_site_at_once(client):
    role = RoleFactory(title="Prompt Engineer")
    assert "Prompt Engineer" in client.get(reverse("careers:role-list")).content.decode()
    role.title = "Prompt Designer"
    role.save()
    html = client.get(reverse("careers:role-list")).content.decode()
    assert "Prompt Designer" in html and "Prompt Engineer" not in html


def test_m2m_change_invalidates_cached_pages(client):
    idea = ProjectIdeaFactory()
    role = RoleFactory(title="Newly linked role")
    assert "Newly linked role" not in client.get(idea.get_absolute_url()).content.decode()
    idea.roles.add(role)
    assert "Newly linked role" in client.get(idea.get_absolute_url()).content.decode()


def test_bump_changes_the_version_and_rebuilds():
    calls = []
    content_cached("probe", lambda: calls.append(1) or "value")
    content_cached("probe", lambda: calls.append(1) or "value")
    assert len(calls) == 1
    before = content_version()
    content_cache_bump()
    assert content_version() != before
    content_cached("probe", lambda: calls.append(1) or "value")
    assert len(calls) == 2
