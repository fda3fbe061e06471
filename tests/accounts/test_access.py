"""Who may reach which accounts page, and with which method."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Sign-in for every signed-in page, CSRF on every post and OPTIONS are walked for every URL
# in tests/test_access_control.py; these are what the walk does not cover.


@pytest.mark.parametrize("name", ["accounts:settings", "accounts:import", "accounts:delete"])
def test_anonymous_post_to_a_signed_in_page_changes_nothing(client, learner, name):
    response = client.post(reverse(name), {"password": "x", "display_name": "Hacked"})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Ada"


@pytest.mark.parametrize(
    "name",
    [
        "accounts:signup",
        "accounts:login",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-complete",
    ],
)
def test_public_accounts_pages_render_accessibly(client, page_problems, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert page_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    "name",
    [
        "accounts:settings",
        "accounts:import",
        "accounts:delete",
        "accounts:password-change",
        "accounts:password-change-done",
    ],
)
def test_signed_in_accounts_pages_render_accessibly(learner_client, page_problems, name):
    response = learner_client.get(reverse(name))

    assert response.status_code == 200
    assert response.context["nav"] == "settings"
    assert page_problems(response.content.decode()) == []


def test_form_errors_are_tied_to_their_fields(learner_client):
    response = learner_client.post(
        reverse("accounts:settings"), {"weekly_hours": "0", "public_handle": "admin"}
    )

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_weekly_hours_helptext id_weekly_hours_error"' in html
    assert 'id="id_weekly_hours_error"' in html
    assert 'role="alert"' in html


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:export", "post"),
        ("accounts:logout", "get"),
        ("accounts:target-role", "get"),
        ("accounts:settings", "put"),
        ("accounts:delete", "delete"),
    ],
)
def test_unsupported_methods_are_refused(learner_client, name, method):
    response = getattr(learner_client, method)(reverse(name))

    assert response.status_code == 405
