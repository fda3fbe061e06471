"""Sign-up, sign-in, sign-out and passwords."""

import base64
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.onboarding import onboarding_start_url
from accounts.tasks import email_confirm_email_send, signup_existing_email_send
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


SIGNUP_MESSAGE = "We have sent a message to"


def after_signup(next_url: str = "") -> str:
    """Where every sign-up leads: sign-in, then the onboarding (then `next_url`)."""
    return reverse("accounts:login") + "?" + urlencode({"next": onboarding_start_url(next_url)})


def test_signup_creates_a_usable_account_and_sends_a_confirmation_link(client, mailoutbox):
    response = client.post(reverse("accounts:signup"), signup_data(email="New@Example.COM"))

    assert response.status_code == 302
    assert response.url == after_signup()
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert user.check_password(STRONG_PASSWORD)
    assert user.email_confirmed_at is None
    assert signed_in_user_id(client) is None  # signed in only with the password
    assert any(SIGNUP_MESSAGE in text for text in message_texts(response))
    assert mailoutbox == []  # the worker sends it
    tasks_run()
    [message] = mailoutbox
    assert message.to == ["new@example.com"]
    assert "/accounts/email/confirm/" in message.body
    # Usable at once: sign in with the password just chosen, the address pre-filled.
    login_page = client.get(response.url)
    assert 'value="new@example.com"' in login_page.content.decode()
    signed_in = client.post(
        reverse("accounts:login"), {"username": "new@example.com", "password": STRONG_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_signup_keeps_a_safe_next_for_the_sign_in_that_follows(client):
    response = client.post(
        reverse("accounts:signup"), {**signup_data(), "next": "/roles/prompt-engineer/"}
    )

    assert response.status_code == 302
    assert response.url == after_signup("/roles/prompt-engineer/")


def test_signup_ignores_next_pointing_to_another_site(client):
    response = client.post(
        reverse("accounts:signup"), {**signup_data(), "next": "https://evil.example/"}
    )

    assert response.url == after_signup()


def signup_answer(client, email):
    """What a visitor can see of a sign-up: status, where it leads, the message and the
    page it leads to."""
    response = client.post(reverse("accounts:signup"), signup_data(email=email))
    texts = [text.replace(email.strip().lower(), "EMAIL") for text in message_texts(response)]
    return response.status_code, response.url, texts


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@Example.com", " Ada@example.COM "])
def test_signup_with_an_existing_email_answers_as_for_a_new_one(client, learner, email, mailoutbox):
    existing = signup_answer(client, email)
    new = signup_answer(Client(), "someone-new@example.com")

    assert existing == new
    assert User.objects.count() == 2  # the learner and the new address; no second Ada
    learner.refresh_from_db()
    assert not learner.check_password(STRONG_PASSWORD)  # the account is untouched
    tasks_run()  # the worker sends sign-up emails
    tried, confirm = mailoutbox
    assert tried.to == ["ada@example.com"]
    assert "Someone (perhaps you) just tried to create" in tried.body
    assert reverse("accounts:login") in tried.body
    assert reverse("accounts:password-reset") in tried.body
    assert "/accounts/email/confirm/" not in tried.body
    assert confirm.to == ["someone-new@example.com"]


def test_signup_losing_the_race_for_an_address_answers_the_same(client, learner, monkeypatch):
    # Another request creates the account between the check and the insert.
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    response = client.post(reverse("accounts:signup"), signup_data(email="ADA@example.com"))

    assert response.status_code == 302
    assert response.url == after_signup()
    assert User.objects.count() == 1


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting-md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("email", ["ada@example.com", "someone-new@example.com"])
def test_signup_hashes_the_password_once_for_new_and_existing_addresses(
    client, settings, learner, email
):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    client.post(reverse("accounts:signup"), signup_data(email=email))
    assert CountingHasher.calls == 1


@pytest.mark.parametrize("email", ["ada@example.com", "someone-new@example.com"])
def test_signup_queues_one_email_and_sends_nothing_in_the_request(
    client, learner, email, mailoutbox
):
    client.post(reverse("accounts:signup"), signup_data(email=email))

    assert mailoutbox == []
    [queued] = DBTaskResult.objects.filter(status="READY")
    assert queued.task_path in (
        email_confirm_email_send.module_path,
        signup_existing_email_send.module_path,
    )
    assert "/email/confirm/" not in str(queued.args_kwargs)  # the worker makes the link
    tasks_run()
    [message] = mailoutbox
    assert message.to == [email]


def test_a_sign_up_email_that_fails_is_tried_again_later(client, learner, monkeypatch):
    def refuse(message, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    client.post(reverse("accounts:signup"), signup_data(email="someone-new@example.com"))
    tasks_run()

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == email_confirm_email_send.module_path
    assert retry.args_kwargs["args"][-1] == 2  # the second try
    assert retry.run_after > timezone.now() + timedelta(seconds=20)


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_sign_in_hashes_the_password_once_for_known_and_unknown_addresses(client, settings, email):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    User.objects.create_user(email="ada@example.com", password=STRONG_PASSWORD)
    CountingHasher.calls = 0
    client.post(reverse("accounts:login"), {"username": email, "password": "wrong-guess-1"})
    assert CountingHasher.calls == 1


def test_emails_to_one_address_are_capped(client, settings, learner, mailoutbox):
    settings.SIGNUP_RATE_LIMIT = 2
    for index in range(4):
        Client().post(
            reverse("accounts:signup"),
            signup_data(email="ada@example.com"),
            REMOTE_ADDR=f"10.0.0.{index}",
        )
    tasks_run()
    assert len(mailoutbox) == 2


# Confirming the address


def confirm_link(message):
    return re.search(r"https?://\S+/accounts/email/confirm/\S+/", message.body).group(0)


def test_the_confirmation_link_confirms_the_address_on_a_post(client, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    tasks_run()
    link = confirm_link(mailoutbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my email" in page.content.decode()
    assert User.objects.get().email_confirmed_at is None  # a GET changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert User.objects.get().email_confirmed_at is not None
    assert "is confirmed" in " ".join(message_texts(response))


def test_a_confirmation_link_expires(client, settings, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    tasks_run()
    link = confirm_link(mailoutbox[0])
    settings.EMAIL_CONFIRM_MAX_AGE = timedelta(seconds=-1)
    response = client.post(link)
    assert response.status_code == 400
    assert "That link does not work" in response.content.decode()
    assert User.objects.get().email_confirmed_at is None


@pytest.mark.parametrize("token", ["x", "eyJ1c2VyIjoxfQ:1u:abc", "a" * 2000])
def test_a_forged_confirmation_link_does_nothing(client, learner, token):
    response = client.post(reverse("accounts:email-confirm", args=[token]))
    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.email_confirmed_at is None


def test_a_confirmation_link_names_neither_the_address_nor_works_for_another(
    learner, other_learner
):
    from accounts.signup import email_confirm_token, email_confirm_user

    token = email_confirm_token(learner)
    encoded = base64.urlsafe_b64encode(learner.email.encode()).decode().rstrip("=")
    assert learner.email.lower() not in token.lower() and encoded not in token
    assert email_confirm_user(token) == learner
    learner.email = "ada.new@example.com"
    learner.save()
    assert email_confirm_user(token) is None  # the address changed since


def test_settings_mark_an_unconfirmed_address_and_resend_the_link(
    learner_client, learner, mailoutbox
):
    page = learner_client.get(reverse("accounts:settings")).content.decode()
    assert "Not confirmed" in page
    assert "Send the link again" in page
    response = learner_client.post(reverse("accounts:email-confirm-resend"))
    assert response.status_code == 302
    tasks_run()
    [message] = mailoutbox
    assert message.to == [learner.email]
    learner_client.post(confirm_link(message))
    page = learner_client.get(reverse("accounts:settings")).content.decode()
    assert "Confirmed" in page and "Send the link again" not in page


def test_resending_the_link_is_rate_limited(learner_client, settings, mailoutbox):
    settings.SIGNUP_RATE_LIMIT = 2
    statuses = [
        learner_client.post(reverse("accounts:email-confirm-resend")).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    tasks_run()
    assert len(mailoutbox) == 2


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
