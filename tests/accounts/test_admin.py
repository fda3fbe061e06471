"""The user admin, adapted to sign-in by email."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import TargetRoleChangeFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-lantern-orbit-47"


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_user_changelist_lists_and_searches_by_email(admin_client, learner, other_learner):
    url = reverse("admin:accounts_user_changelist")

    response = admin_client.get(url, {"q": "ada@"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "ada@example.com" in html
    assert "grace@example.com" not in html


def test_admin_adds_a_user_with_email_and_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.com",
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password(STRONG_PASSWORD)


def test_admin_refuses_a_duplicate_email_in_another_case(admin_client, learner):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ADA@example.com",
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "An account with this email already exists." in response.content.decode()
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_user_change_page_shows_target_history_read_only(admin_client, learner):
    change = TargetRoleChangeFactory(user=learner)

    response = admin_client.get(reverse("admin:accounts_user_change", args=[learner.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert change.role_title in html
    assert 'name="target_role_changes-0-role_title"' not in html
