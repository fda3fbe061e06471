"""Migrations that move a relationship between apps keep every row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("learning", "0002_topic_state_complete_index"), ("careers", "0002_initial")]
AFTER = [
    ("learning", "0003_project_idea_roles_declared_on_role"),
    ("careers", "0003_role_project_ideas"),
]


@pytest.fixture(autouse=True)
def _back_to_latest():
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_idea_role_links_survive_the_move_to_role():
    old = _migrate(BEFORE)
    Role = old.get_model("careers", "Role")
    ProjectIdea = old.get_model("learning", "ProjectIdea")
    role = Role.objects.create(
        title="Prompt Engineer",
        slug="prompt-engineer",
        summary="s",
        description="d",
        focus="engineering",
        seniority="entry",
    )
    idea = ProjectIdea.objects.create(
        title="Prompt library",
        slug="prompt-library",
        summary="s",
        description="d",
        difficulty="beginner",
        hours=10,
    )
    idea.roles.add(role)

    new = _migrate(AFTER)

    Role = new.get_model("careers", "Role")
    assert list(Role.objects.get(pk=role.pk).project_ideas.values_list("slug", flat=True)) == [
        "prompt-library"
    ]
