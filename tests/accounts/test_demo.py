import pytest
from django.core.management import call_command

from accounts.models import User
from careers.readiness import role_progress
from learning.models import PortfolioProject, TopicStateChange
from tests.shipped_pack import shipped_pack_load

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_learner_through_the_services_once(capsys):
    shipped_pack_load()

    call_command("seed_demo")
    call_command("seed_demo")

    ada = User.objects.get(email="ada@example.com")
    assert ada.target_role.slug == "prompt-engineer"
    assert role_progress(ada, ada.target_role).done_hours > 0
    # The services wrote the history, as a learner's clicks would.
    assert TopicStateChange.objects.filter(user=ada).count() == 9
    assert ada.target_role_changes.count() == 1
    assert PortfolioProject.objects.filter(user=ada, status="done").count() == 1
    assert "already exists" in capsys.readouterr().out
