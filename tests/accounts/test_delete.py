"""Deleting an account: a password confirms it, and it takes all of the learner's data."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.data_file.export import user_export
from accounts.models import TargetRoleChange, User
from learning.models import (
    CheckAnswer,
    CheckAttempt,
    PortfolioProject,
    Question,
    TopicState,
    TopicStateChange,
)

pytestmark = pytest.mark.django_db

USER_TABLES = (TargetRoleChange, TopicState, TopicStateChange, PortfolioProject, CheckAttempt)


def rows_of(user_id):
    return {model.__name__: model.objects.filter(user_id=user_id).count() for model in USER_TABLES}


def test_delete_page_asks_for_the_password(learner_client, page_problems):
    response = learner_client.get(reverse("accounts:delete"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in html
    assert page_problems(html) == []


def test_delete_page_by_get_deletes_nothing(learner_client, learner_data, learner):
    learner_client.get(reverse("accounts:delete"))

    assert User.objects.filter(pk=learner.pk).exists()


def test_delete_with_wrong_password_keeps_account_and_data(learner_client, learner_data, learner):
    before = rows_of(learner.pk)

    response = learner_client.post(reverse("accounts:delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        "That password is not right; nothing was deleted."
    ]
    assert User.objects.filter(pk=learner.pk).exists()
    assert rows_of(learner.pk) == before
    assert learner_client.session.get(SESSION_KEY) == str(learner.pk)


def test_delete_with_right_password_removes_the_learner_and_all_their_data(
    learner_client, learner_data, learner, password
):
    learner_id = learner.pk
    assert all(rows_of(learner_id).values())

    response = learner_client.post(reverse("accounts:delete"), {"password": password})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not User.objects.filter(pk=learner_id).exists()
    assert rows_of(learner_id) == dict.fromkeys(rows_of(learner_id), 0)
    assert not PortfolioProject.modules.through.objects.filter(
        portfolioproject__user_id=learner_id
    ).exists()
    assert not CheckAnswer.objects.filter(attempt__user_id=learner_id).exists()
    assert Question.objects.count() == 3  # the bank is content: it stays
    assert learner_client.session.get(SESSION_KEY) is None
    assert "Your account and everything in it have been deleted." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_delete_leaves_other_learners_and_shared_content_alone(
    learner_client, learner_data, other_learner_data, other_learner, password
):
    other_before = user_export(user=other_learner)
    del other_before["exported_at"]

    learner_client.post(reverse("accounts:delete"), {"password": password})

    other_after = user_export(user=other_learner)
    del other_after["exported_at"]
    assert other_after == other_before
    # Roles, topics, modules and ideas the learner used are content, not theirs.
    learner_data.target.refresh_from_db()
    learner_data.idea.refresh_from_db()
    for topic in learner_data.topics:
        topic.refresh_from_db()
