"""Sign-up, sign-in, sign-out and passwords."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from accounts.forms import SignupForm
from accounts.models import User
from tests.conftest import tasks_run

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-lantern-orbit-47"


def signup_data(email="new@example.com", password=STRONG_PASSWORD, confirmation=None):
    return {"email": email, "password1": password, "password2": confirmation or password}


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


# Sign-up


def test_signup_creates_account_signs_in_and_redirects_to_dashboard(client):
    response = client.post(reverse("accounts:signup"), signup_data(email="New@Example.COM"))

    assert response.status_code == 302
    assert response.url == reverse("careers:dashboard")
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert user.check_password(STRONG_PASSWORD)
    assert signed_in_user_id(client) == str(user.pk)
    assert "Welcome to GenAI Pathways! Your account is ready." in message_texts(response)


def test_signup_redirects_to_safe_next(client):
    response = client.post(
        reverse("accounts:signup"), {**signup_data(), "next": "/roles/prompt-engineer/"}
    )

    assert response.status_code == 302
    assert response.url == "/roles/prompt-engineer/"


def test_signup_ignores_next_pointing_to_another_site(client):
    response = client.post(
        reverse("accounts:signup"), {**signup_data(), "next": "https://evil.example/"}
    )

    assert response.url == reverse("careers:dashboard")


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@Example.com", " Ada@example.COM "])
def test_signup_refuses_an_email_that_exists_in_any_case(client, learner, email):
    response = client.post(reverse("accounts:signup"), signup_data(email=email))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists."
    ]
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None


def test_signup_turns_the_database_uniqueness_race_into_the_same_form_error(
    client, learner, monkeypatch
):
    # Simulate another request creating the account between validation and insert.
    monkeypatch.setattr("accounts.forms.email_clean", lambda email, **kwargs: email.lower())
    monkeypatch.setattr(SignupForm, "validate_unique", lambda self: None)
    monkeypatch.setattr(SignupForm, "validate_constraints", lambda self: None)

    response = client.post(reverse("accounts:signup"), signup_data(email="ADA@example.com"))

    assert response.status_code == 200
    assert "An account with this email already exists." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("caught_by", ["unique field", "case-insensitive constraint"])
def test_signup_racing_past_the_email_check_gets_the_same_message_from_the_model(
    client, learner, monkeypatch, caught_by
):
    # Another request creates the account after the form's email check, so the model's
    # own uniqueness checks are the ones that find it.
    monkeypatch.setattr("accounts.forms.email_clean", lambda email, **kwargs: email.lower())
    if caught_by == "case-insensitive constraint":
        monkeypatch.setattr(SignupForm, "validate_unique", lambda self: None)

    response = client.post(reverse("accounts:signup"), signup_data(email="ADA@example.com"))

    assert response.status_code == 200
    assert "An account with this email already exists." in response.content.decode()
    assert "is violated" not in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("8364519027", "This password is entirely numeric"),
        ("newperson@example", "The password is too similar to the email"),
    ],
)
def test_signup_refuses_weak_passwords_with_clear_errors(client, password, expected):
    response = client.post(
        reverse("accounts:signup"), signup_data(email="newperson@example.com", password=password)
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert expected in errors
    assert not User.objects.exists()


def test_signup_refuses_mismatched_password_confirmation(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(confirmation="plum-lantern-orbit-48")
    )

    assert "The two password fields didn’t match." in response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_signup_page_renders_with_highlighted_nav(client, page_problems):
    response = client.get(reverse("accounts:signup"))

    assert response.status_code == 200
    assert response.context["nav"] == "signup"
    assert page_problems(response.content.decode()) == []


# Sign-in


def test_login_with_email_honours_next(client, learner, password):
    response = client.post(
        reverse("accounts:login") + "?next=/learn/",
        {"username": "ADA@example.com", "password": password},
    )

    assert response.status_code == 302
    assert response.url == "/learn/"
    assert signed_in_user_id(client) == str(learner.pk)
    assert "Welcome back, Ada." in message_texts(response)


def test_login_ignores_next_pointing_to_another_site(client, learner, password):
    response = client.post(
        reverse("accounts:login"),
        {"username": learner.email, "password": password, "next": "https://evil.example/"},
    )

    assert response.url == reverse("careers:dashboard")


def test_login_with_wrong_password_shows_error_and_does_not_sign_in(client, learner):
    response = client.post(
        reverse("accounts:login"), {"username": learner.email, "password": "not-it"}
    )

    assert response.status_code == 200
    assert "That email and password do not match an account" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_login_page_carries_next_and_is_accessible(client, page_problems):
    response = client.get(reverse("accounts:login") + "?next=/learn/")

    html = response.content.decode()
    assert '<input type="hidden" name="next" value="/learn/">' in html
    assert 'type="email"' in html
    assert response.context["nav"] == "login"
    assert page_problems(html) == []


# Sign-out


def test_logout_by_get_is_refused_and_keeps_the_session(learner_client, learner):
    response = learner_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert signed_in_user_id(learner_client) == str(learner.pk)


def test_logout_by_post_signs_out_with_a_message(learner_client):
    response = learner_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(learner_client) is None
    assert "You have signed out." in message_texts(response)


# Password reset


def test_password_reset_response_is_the_same_for_known_and_unknown_addresses(client, learner):
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    tasks_run()  # the worker sends password-reset emails
    assert len(mail.outbox) == 0

    known = client.post(reverse("accounts:password-reset"), {"email": "ADA@example.com"})
    tasks_run()
    assert len(mail.outbox) == 1

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == reverse("accounts:password-reset-done")
    done = client.get(unknown.url)
    assert "If an account uses the address you entered" in done.content.decode()


def test_password_reset_email_link_lets_the_learner_choose_a_new_password(client, learner):
    client.post(reverse("accounts:password-reset"), {"email": learner.email})
    tasks_run()  # the worker sends password-reset emails
    (email,) = mail.outbox
    assert email.to == [learner.email]
    link = re.search(r"https?://[^/\s]+(/\S+)", email.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
    )

    assert response.url == reverse("accounts:password-reset-complete")
    learner.refresh_from_db()
    assert learner.check_password(STRONG_PASSWORD)


def test_password_reset_with_a_bad_token_says_the_link_does_not_work(client, learner):
    url = reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})

    response = client.get(url)

    assert response.status_code == 200
    assert "That reset link does not work" in response.content.decode()


# Password change


def test_password_change_keeps_the_learner_signed_in(learner_client, learner, password):
    response = learner_client.post(
        reverse("accounts:password-change"),
        {
            "old_password": password,
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
    )

    assert response.url == reverse("accounts:password-change-done")
    learner.refresh_from_db()
    assert learner.check_password(STRONG_PASSWORD)
    assert learner_client.get(reverse("accounts:settings")).status_code == 200


def test_password_change_refuses_a_wrong_current_password(learner_client, learner, password):
    response = learner_client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_signed_in_visitor_to_signup_is_sent_to_dashboard(learner_client):
    response = learner_client.get(reverse("accounts:signup"))

    assert response.url == reverse("careers:dashboard")
