"""Sign-up, sign-in and settings forms: every password problem at once, the focus on the
first wrong field, messages that exist, the public page linked, a handle suggested."""

import re

import pytest
from django.urls import reverse

from tests.accounts.test_auth import signup_data

pytestmark = pytest.mark.django_db


def autofocused(html: str) -> list[str]:
    return re.findall(r'<input[^>]*\bautofocus\b[^>]*\bname="([^"]+)"', html) + re.findall(
        r'<input[^>]*\bname="([^"]+)"[^>]*\bautofocus\b', html
    )


def test_sign_up_reports_every_password_problem_at_once(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(password="short", confirmation="different")
    )
    form = response.context["form"]
    assert "password2" in form.errors  # they differ
    assert any("too short" in error for error in form.errors["password1"])  # and it is weak


def test_focus_goes_to_the_first_wrong_field(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert autofocused(html) == ["email"]
    response = client.post(
        reverse("accounts:signup"), signup_data(password="short", confirmation="short")
    )
    html = response.content.decode()
    assert autofocused(html) == ["password2"]
    response = client.post(reverse("accounts:signup"), signup_data(email="nope"))
    assert autofocused(response.content.decode()) == ["email"]


def test_sign_in_error_shows_its_message_where_it_says(client, learner):
    html = client.post(
        reverse("accounts:login"), {"username": learner.email, "password": "wrong"}
    ).content.decode()
    assert "That email and password do not match an account." in html
    assert "see the messages below" not in html


def test_settings_link_the_public_page_and_suggest_a_handle(learner_client, learner):
    html = learner_client.get(reverse("accounts:settings")).content.decode()
    assert (
        "(needed for a public page)" in html
        and "(optional)</span>" not in html.split("Public handle")[1][:80]
    )
    assert 'placeholder="ada"' in html and "Suggested from your name: ada." in html
    assert "public-heading" not in html
    learner.public_handle = "ada-learns"
    learner.is_progress_public = True
    learner.save()
    html = learner_client.get(reverse("accounts:settings")).content.decode()
    assert "public-heading" in html
    assert 'href="/u/ada-learns/">http://testserver/u/ada-learns/</a>' in html
    assert 'data-copy="public-url" hidden>Copy link</button>' in html
