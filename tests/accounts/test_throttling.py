import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.conftest import tasks_run

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_for_one_account_lock_it_even_from_other_addresses():
    user = UserFactory(email="ada@example.com")
    client = Client()
    statuses = [
        sign_in(client, "ada@example.com", "wrong", f"10.0.0.{i}").status_code for i in range(5)
    ]
    assert statuses[:4] == [200] * 4  # the fifth failure is the one that locks
    locked = sign_in(client, "ADA@example.com", DEFAULT_PASSWORD, "10.9.9.9")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_five_failures_from_one_address_lock_that_address():
    UserFactory(email="grace@example.com")
    client = Client()
    for index in range(5):
        sign_in(client, f"nobody{index}@example.com", "wrong", "10.1.1.1")
    assert sign_in(client, "grace@example.com", DEFAULT_PASSWORD, "10.1.1.1").status_code == 429
    assert sign_in(Client(), "grace@example.com", DEFAULT_PASSWORD, "10.2.2.2").status_code == 302


def test_four_failures_then_success_still_signs_in():
    UserFactory(email="ada@example.com")
    client = Client()
    for _ in range(4):
        sign_in(client, "ada@example.com", "wrong")
    assert sign_in(client, "ada@example.com", DEFAULT_PASSWORD).status_code == 302


def test_successful_sign_in_rotates_the_session():
    UserFactory(email="ada@example.com")
    client = Client()
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = "before"
    session.save()
    before = session.session_key
    sign_in(client, "ada@example.com", DEFAULT_PASSWORD)
    assert client.session.session_key != before


def test_sign_up_is_rate_limited_per_address(settings):
    settings.SIGNUP_RATE_LIMIT = 3
    client = Client()
    for index in range(3):
        response = client.post(
            reverse("accounts:signup"),
            {"email": f"x{index}@example.com", "password1": "short", "password2": "short"},
            REMOTE_ADDR="10.3.3.3",
        )
        assert response.status_code == 200
    limited = client.post(
        reverse("accounts:signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
        REMOTE_ADDR="10.3.3.3",
    )
    assert limited.status_code == 429
    assert "Too many sign-up requests" in limited.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_password_reset_is_rate_limited_per_address(settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    UserFactory(email="ada@example.com")
    client = Client()
    for _ in range(2):
        client.post(
            reverse("accounts:password-reset"), {"email": "ada@example.com"}, REMOTE_ADDR="10.4.4.4"
        )
    limited = client.post(
        reverse("accounts:password-reset"), {"email": "ada@example.com"}, REMOTE_ADDR="10.4.4.4"
    )
    assert limited.status_code == 429
    tasks_run()  # the worker sends password-reset emails
    assert len(mailoutbox) == 2


# Every other password check counts toward the same lockout.


def delete_account(client, password, address="10.0.0.1"):
    return client.post(reverse("accounts:delete"), {"password": password}, REMOTE_ADDR=address)


def change_password(client, old_password, address="10.0.0.1"):
    new = "a-new-long-passphrase-3"
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old_password, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
    )


@pytest.mark.parametrize("check", [delete_account, change_password])
def test_five_wrong_passwords_on_a_signed_in_page_lock_the_account(check):
    user = UserFactory(email="ada@example.com")
    client = Client()
    client.force_login(user)
    statuses = [check(client, "wrong", f"10.0.0.{i}").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks, as at sign-in
    locked = check(client, DEFAULT_PASSWORD, "10.9.9.9")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)  # neither deleted nor changed
    # ... and sign-in is locked for the account too.
    assert sign_in(Client(), "ada@example.com", DEFAULT_PASSWORD, "10.8.8.8").status_code == 429


def test_failures_on_sign_in_deletion_and_password_change_add_up():
    user = UserFactory(email="ada@example.com")
    client = Client()
    client.force_login(user)
    sign_in(Client(), "ada@example.com", "wrong", "10.0.0.1")
    sign_in(Client(), "ada@example.com", "wrong", "10.0.0.2")
    delete_account(client, "wrong", "10.0.0.3")
    change_password(client, "wrong", "10.0.0.4")
    assert change_password(client, "wrong", "10.0.0.5").status_code == 429
    assert delete_account(client, DEFAULT_PASSWORD, "10.0.0.6").status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_a_locked_address_cannot_check_passwords_on_signed_in_pages():
    for index in range(5):
        sign_in(Client(), f"nobody{index}@example.com", "wrong", "10.1.1.1")
    user = UserFactory(email="grace@example.com")
    client = Client()
    client.force_login(user)
    assert delete_account(client, DEFAULT_PASSWORD, "10.1.1.1").status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
    assert change_password(client, DEFAULT_PASSWORD, "10.2.2.2").status_code == 302


def test_the_attempt_log_never_holds_a_password():
    from axes.models import AccessAttempt

    user = UserFactory(email="ada@example.com")
    client = Client()
    client.force_login(user)
    change_password(client, "my-secret-guess")
    delete_account(client, "another-secret-guess")
    logged = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "secret-guess" not in logged
    assert "a-new-long-passphrase" not in logged
