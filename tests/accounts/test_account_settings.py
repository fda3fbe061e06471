"""The settings page: profile, weekly hours, public page and target role."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.forms import SettingsForm
from accounts.models import TargetRoleChange
from tests.accounts.factories import UserFactory
from tests.careers.factories import RoleFactory

pytestmark = pytest.mark.django_db


def settings_data(**overrides):
    data = {
        "display_name": "Ada L.",
        "target_role": "",
        "weekly_hours": "5",
        "time_zone": "UTC",
        "study_days": ["5"],
        "study_time": "18:00",
        "public_handle": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_settings(client, **overrides):
    return client.post(reverse("accounts:settings"), settings_data(**overrides))


def test_settings_page_shows_the_form_with_active_roles_only(learner_client, page_problems):
    active = RoleFactory(title="Prompt Engineer")
    RoleFactory(title="Retired Role", is_archived=True)

    response = learner_client.get(reverse("accounts:settings"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["nav"] == "settings"
    assert "No target yet" in html
    assert active.title in html
    assert "Retired Role" not in html
    for name in ("password-change", "export", "import", "delete"):
        assert reverse(f"accounts:{name}") in html
    assert page_problems(html) == []


def test_settings_saves_display_name_hours_and_public_page(learner_client, learner):
    response = post_settings(
        learner_client,
        display_name="Ada Lovelace",
        weekly_hours="12",
        public_handle="Ada-L",
        is_progress_public="on",
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    learner.refresh_from_db()
    assert learner.display_name == "Ada Lovelace"
    assert learner.weekly_hours == 12
    assert learner.public_handle == "ada-l"
    assert learner.is_progress_public is True
    assert "Your settings are saved." in [str(m) for m in get_messages(response.wsgi_request)]


def test_settings_turns_public_page_off_and_keeps_the_handle(learner_client, learner):
    learner.public_handle = "ada"
    learner.is_progress_public = True
    learner.save()

    post_settings(learner_client, public_handle="ada")

    learner.refresh_from_db()
    assert learner.is_progress_public is False
    assert learner.public_handle == "ada"


def test_settings_clearing_the_handle_stores_null(learner_client, learner):
    learner.public_handle = "ada"
    learner.save()

    post_settings(learner_client, public_handle="")

    learner.refresh_from_db()
    assert learner.public_handle is None


@pytest.mark.parametrize("hours", ["0", "101", "-3", "ten", "2.5", ""])
def test_settings_refuses_weekly_hours_outside_1_to_100(learner_client, learner, hours):
    response = post_settings(learner_client, weekly_hours=hours)

    assert response.status_code == 200
    assert response.context["form"].errors["weekly_hours"] == [
        "Enter a whole number of hours from 1 to 100."
    ]
    learner.refresh_from_db()
    assert learner.weekly_hours == 5


def test_settings_requires_a_handle_to_go_public(learner_client, learner):
    response = post_settings(learner_client, is_progress_public="on", public_handle="")

    assert response.context["form"].errors["public_handle"] == [
        "Choose a handle to make your progress public."
    ]
    learner.refresh_from_db()
    assert learner.is_progress_public is False


@pytest.mark.parametrize("handle", ["Grace", "grace"])
def test_settings_refuses_a_handle_taken_in_any_case(learner_client, other_learner, handle):
    other_learner.public_handle = "grace"
    other_learner.save()

    response = post_settings(learner_client, public_handle=handle)

    assert response.context["form"].errors["public_handle"] == [
        "That handle is already taken; please choose another."
    ]


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "A handle needs 3–40 characters"),
        ("x" * 41, "at most 40 characters"),
        ("has space", "A handle needs 3–40 characters"),
        ("-dash", "A handle needs 3–40 characters"),
        ("admin", "“admin” is reserved"),
        ("Accounts", "“accounts” is reserved"),
        ("api", "“api” is reserved"),
    ],
)
def test_settings_refuses_malformed_and_reserved_handles(learner_client, learner, handle, message):
    response = post_settings(learner_client, public_handle=handle)

    errors = " ".join(response.context["form"].errors["public_handle"])
    assert message in errors
    learner.refresh_from_db()
    assert learner.public_handle is None


def test_settings_turns_the_handle_uniqueness_race_into_a_form_error(
    learner_client, learner, other_learner, monkeypatch
):
    # Simulate another learner taking the handle between validation and save.
    other_learner.public_handle = "shared"
    other_learner.save()
    monkeypatch.setattr("accounts.forms.handle_problems", lambda handle, **kwargs: [])
    monkeypatch.setattr(SettingsForm, "validate_unique", lambda self: None)

    response = post_settings(learner_client, public_handle="shared")

    assert response.status_code == 200
    assert "That handle is already taken" in response.content.decode()
    learner.refresh_from_db()
    assert learner.public_handle is None


def test_settings_sets_target_role_and_records_history(learner_client, learner):
    role = RoleFactory(title="Prompt Engineer")

    post_settings(learner_client, target_role=str(role.pk))

    learner.refresh_from_db()
    assert learner.target_role == role
    change = TargetRoleChange.objects.get(user=learner)
    assert (change.role, change.role_title) == (role, "Prompt Engineer")


def test_settings_saved_without_changing_target_adds_no_history(learner_client, learner):
    role = RoleFactory()
    post_settings(learner_client, target_role=str(role.pk))

    post_settings(learner_client, target_role=str(role.pk), display_name="Someone else")

    assert TargetRoleChange.objects.filter(user=learner).count() == 1


def test_settings_clearing_target_role_records_it(learner_client, learner):
    role = RoleFactory()
    post_settings(learner_client, target_role=str(role.pk))

    post_settings(learner_client, target_role="")

    learner.refresh_from_db()
    assert learner.target_role is None
    latest = TargetRoleChange.objects.filter(user=learner).first()
    assert (latest.role, latest.role_title) == (None, "")


def test_settings_refuses_an_archived_role_as_new_target(learner_client, learner):
    archived = RoleFactory(is_archived=True)

    response = post_settings(learner_client, target_role=str(archived.pk))

    assert "target_role" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.target_role is None


def test_settings_keeps_a_target_role_retired_since_it_was_chosen(learner_client, learner):
    role = RoleFactory(title="Old Role")
    learner.target_role = role
    learner.save()
    role.is_archived = True
    role.save()

    page = learner_client.get(reverse("accounts:settings"))
    assert "Old Role (retired)" in page.content.decode()
    post_settings(learner_client, target_role=str(role.pk), display_name="Ada")

    learner.refresh_from_db()
    assert learner.target_role == role
    assert not TargetRoleChange.objects.filter(user=learner).exists()


def test_settings_changes_nobody_else(learner_client, other_learner):
    post_settings(learner_client, display_name="Changed", weekly_hours="40")

    other_learner.refresh_from_db()
    assert other_learner.display_name == "Grace"
    assert other_learner.weekly_hours == 5


def test_settings_form_accepts_the_learners_own_handle_in_any_case(learner):
    learner.public_handle = "ada"
    learner.save()
    UserFactory(public_handle="someone")

    form = SettingsForm(settings_data(public_handle="ADA"), instance=learner)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["public_handle"] == "ada"
