"""Choosing a target role: the service and the "Make this my target" form post."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import TargetRoleChange
from accounts.services import target_role_set
from learning.models import TopicState
from tests.careers.factories import RoleFactory
from tests.learning.factories import TopicStateFactory

pytestmark = pytest.mark.django_db


def progress_rows(user):
    return list(
        TopicState.objects.filter(user=user).values_list(
            "topic_id", "state", "note", "state_changed_at", "completed_at", "updated_at"
        )
    )


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The service


def test_target_role_set_sets_target_and_appends_history(learner):
    first, second = RoleFactory(title="Prompt Engineer"), RoleFactory(title="ML Engineer")

    assert target_role_set(user=learner, role=first) is True
    assert target_role_set(user=learner, role=second) is True

    learner.refresh_from_db()
    assert learner.target_role == second
    history = list(
        TargetRoleChange.objects.filter(user=learner)
        .order_by("chosen_at", "id")
        .values_list("role", "role_title")
    )
    assert history == [(first.pk, "Prompt Engineer"), (second.pk, "ML Engineer")]


def test_target_role_set_with_the_same_role_is_a_no_op(learner):
    role = RoleFactory()
    target_role_set(user=learner, role=role)

    assert target_role_set(user=learner, role=role) is False
    assert TargetRoleChange.objects.filter(user=learner).count() == 1


def test_target_role_set_with_none_clears_target_and_records_it(learner):
    target_role_set(user=learner, role=RoleFactory())

    assert target_role_set(user=learner, role=None) is True
    learner.refresh_from_db()
    assert learner.target_role is None
    assert TargetRoleChange.objects.filter(user=learner, role=None, role_title="").count() == 1
    assert target_role_set(user=learner, role=None) is False


def test_target_role_set_never_touches_topic_progress(learner):
    TopicStateFactory(user=learner, state="done", note="Mine")
    TopicStateFactory(user=learner, state="learning")
    before = progress_rows(learner)

    target_role_set(user=learner, role=RoleFactory())
    target_role_set(user=learner, role=RoleFactory())

    assert progress_rows(learner) == before


def test_target_role_set_changes_only_this_learner(learner, other_learner):
    role = RoleFactory()

    target_role_set(user=learner, role=role)

    other_learner.refresh_from_db()
    assert other_learner.target_role is None
    assert not TargetRoleChange.objects.filter(user=other_learner).exists()


def test_target_role_history_keeps_the_title_after_the_role_is_deleted(learner):
    role = RoleFactory(title="Short-lived Role")
    target_role_set(user=learner, role=role)

    role.delete()

    change = TargetRoleChange.objects.get(user=learner)
    assert (change.role, change.role_title) == (None, "Short-lived Role")


# The form post


def test_target_role_post_sets_target_and_redirects_to_next(learner_client, learner):
    role = RoleFactory(title="Prompt Engineer", slug="prompt-engineer")

    response = learner_client.post(
        reverse("accounts:target-role"), {"role": "prompt-engineer", "next": "/learn/"}
    )

    assert response.status_code == 302
    assert response.url == "/learn/"
    learner.refresh_from_db()
    assert learner.target_role == role
    assert TargetRoleChange.objects.filter(user=learner, role=role).count() == 1
    assert "Your target role is now Prompt Engineer." in message_texts(response)


def test_target_role_post_without_next_returns_to_the_role_page(learner_client):
    role = RoleFactory()

    response = learner_client.post(reverse("accounts:target-role"), {"role": role.slug})

    assert response.url == role.get_absolute_url()


def test_target_role_post_ignores_next_to_another_site(learner_client):
    role = RoleFactory()

    response = learner_client.post(
        reverse("accounts:target-role"), {"role": role.slug, "next": "//evil.example/"}
    )

    assert response.url == role.get_absolute_url()


def test_target_role_post_for_the_current_target_adds_no_history(learner_client, learner):
    role = RoleFactory(title="Prompt Engineer")
    learner_client.post(reverse("accounts:target-role"), {"role": role.slug})

    response = learner_client.post(reverse("accounts:target-role"), {"role": role.slug})

    assert TargetRoleChange.objects.filter(user=learner).count() == 1
    assert "Prompt Engineer is already your target role." in message_texts(response)


def test_target_role_post_with_empty_role_clears_the_target(learner_client, learner):
    learner_client.post(reverse("accounts:target-role"), {"role": RoleFactory().slug})

    response = learner_client.post(reverse("accounts:target-role"), {"role": ""})

    assert response.url == reverse("careers:dashboard")
    learner.refresh_from_db()
    assert learner.target_role is None
    assert TargetRoleChange.objects.filter(user=learner).count() == 2


def test_target_role_post_leaves_topic_progress_alone(learner_client, learner):
    TopicStateFactory(user=learner, state="done")
    before = progress_rows(learner)

    learner_client.post(reverse("accounts:target-role"), {"role": RoleFactory().slug})

    assert progress_rows(learner) == before


@pytest.mark.parametrize("slug", ["no-such-role", "retired-role", "x" * 300, "../../etc"])
def test_target_role_post_with_unknown_or_archived_role_is_not_found(learner_client, learner, slug):
    RoleFactory(slug="retired-role", is_archived=True)

    response = learner_client.post(reverse("accounts:target-role"), {"role": slug})

    assert response.status_code == 404
    learner.refresh_from_db()
    assert learner.target_role is None
    assert not TargetRoleChange.objects.exists()


def test_target_role_post_by_anonymous_visitor_goes_to_sign_up_with_the_intent(client):
    role = RoleFactory()

    response = client.post(reverse("accounts:target-role"), {"role": role.slug})

    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("accounts:signup")
    assert parse_qs(location.query)["next"] == [reverse("careers:dashboard")]
    assert parse_qs(location.query)["intent"] == [f"target:{role.slug}"]
    assert not TargetRoleChange.objects.exists()


def test_target_role_by_get_is_refused_and_changes_nothing(learner_client, learner):
    role = RoleFactory()

    response = learner_client.get(reverse("accounts:target-role"), {"role": role.slug})

    assert response.status_code == 405
    learner.refresh_from_db()
    assert learner.target_role is None


def test_make_this_my_target_button_on_the_role_page_sets_the_target(learner_client, learner):
    role = RoleFactory(title="Prompt Engineer")
    action = reverse("accounts:target-role")
    page = learner_client.get(role.get_absolute_url()).content.decode()
    form = re.search(rf'<form[^>]*action="{action}"[^>]*>(.*?)</form>', page, re.S)
    assert form, "the role page has no form posting to accounts:target-role"
    inputs = re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form.group(1))
    fields = dict(inputs)
    assert fields["role"] == role.slug
    assert "csrfmiddlewaretoken" in fields

    response = learner_client.post(action, fields)

    assert response.url == role.get_absolute_url()
    learner.refresh_from_db()
    assert learner.target_role == role
