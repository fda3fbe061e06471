"""The weekly email and password-reset emails, sent by the worker through Django's SMTP
backend to a real SMTP server started here (aiosmtpd): parts and headers as received,
once per learner and week, retried with backoff when the server is down, failures shown
in the admin after the last try, and a one-click unsubscribe that needs no sign-in."""

import email
import re
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import WeeklyEmail
from accounts.tasks import MAX_ATTEMPTS, dispatch_schedule, weekly_emails_send
from accounts.weekly_email import unsubscribe_token, weekly_emails_prepare
from tests.accounts.factories import UserFactory
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory, TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    settings.SITE_URL = "https://pathways.example"
    return port


@pytest.fixture
def smtp(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


def run_worker():
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )


def make_due(user, *, when=None):
    user.weekly_email = True
    user.weekly_email_due_at = when or timezone.now() - timedelta(minutes=1)
    user.save()


@pytest.fixture
def subscriber(learner):
    role = RoleFactory(title="Prompt Engineer")
    module = ModuleFactory()
    RoleRequirementFactory(role=role, module=module, importance="core")
    done = TopicFactory(module=module, order=0, hours=3, title="Tokens")
    TopicFactory(module=module, order=1, hours=4, title="Attention")
    learner.target_role = role
    learner.save()
    TopicStateFactory(
        user=learner, topic=done, state="done", state_changed_at=timezone.now() - timedelta(days=7)
    )
    make_due(learner)
    return learner


def parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_weekly_email_arrives_with_text_and_html_parts_and_one_click_unsubscribe(smtp, subscriber):
    dispatch_schedule()
    run_worker()

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == [subscriber.email]
    assert message.get_content_type() == "multipart/alternative"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    assert "Tokens" in body["text/plain"] and "3 h done" in body["text/plain"]
    assert "- Attention: 4 h" in body["text/plain"]
    assert "Streak: 1 week in a row." in body["text/plain"]
    assert "https://pathways.example/plan/" in body["text/plain"]
    assert "<img" not in body["text/html"]
    assert body["text/html"].count('href="https://pathways.example/plan/"') == 1
    unsubscribe = re.search(
        r"<(https://pathways\.example/accounts/unsubscribe/[^>]+)>", message["List-Unsubscribe"]
    )
    assert unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    email_row = WeeklyEmail.objects.get(user=subscriber)
    assert (email_row.status, email_row.attempts) == ("sent", 1)
    subscriber.refresh_from_db()
    assert subscriber.weekly_email_due_at > timezone.now()


def test_preparing_twice_records_one_email_per_learner_and_week(subscriber):
    first = weekly_emails_prepare()
    make_due(subscriber)  # a restart, or a second worker, sees it due again this week
    second = weekly_emails_prepare()

    assert len(first) == 1 and second == first
    assert WeeklyEmail.objects.filter(user=subscriber).count() == 1


def test_two_sends_of_the_same_email_deliver_it_once(smtp, subscriber):
    ids = weekly_emails_prepare()
    weekly_emails_send.enqueue(ids)
    weekly_emails_send.enqueue(ids)
    run_worker()

    assert len(smtp.messages) == 1


def test_preparing_a_batch_takes_a_fixed_number_of_queries(django_assert_num_queries):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        make_due(user)
    with django_assert_num_queries(4):
        assert len(weekly_emails_prepare()) == 3
    more = [UserFactory() for _ in range(30)]
    for user in more:
        make_due(user)
    with django_assert_num_queries(4):
        assert len(weekly_emails_prepare()) == 30


def test_smtp_down_is_retried_later_and_nothing_is_lost(smtp_port, subscriber):
    dispatch_schedule()
    run_worker()  # nothing listens on the port

    row = WeeklyEmail.objects.get(user=subscriber)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "Connection refused" in row.last_error or "Error" in row.last_error
    retry = DBTaskResult.objects.filter(
        task_path=weekly_emails_send.module_path, status="READY"
    ).get()
    assert retry.run_after > timezone.now() + timedelta(seconds=20)  # backoff

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()
    finally:
        controller.stop()

    assert len(inbox.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_after_the_last_try_the_failure_and_its_error_show_in_the_admin(
    smtp_port, subscriber, staff_user, client
):
    ids = weekly_emails_prepare()
    weekly_emails_send.enqueue(ids, MAX_ATTEMPTS)
    run_worker()

    row = WeeklyEmail.objects.get(user=subscriber)
    assert row.status == "failed" and row.last_error
    task = DBTaskResult.objects.get(task_path=weekly_emails_send.module_path)
    assert task.status == "FAILED"
    assert "SendFailed" in task.exception_class_path
    assert "failed 5 times" in task.traceback
    client.force_login(staff_user)
    tasks_page = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED"
    )
    assert tasks_page.status_code == 200 and "weekly_emails_send" in tasks_page.content.decode()
    emails_page = client.get(reverse("admin:accounts_weeklyemail_changelist"))
    assert "Failed after the last try" in emails_page.content.decode()


def test_unsubscribe_link_works_without_signing_in(client, subscriber):
    url = reverse("accounts:unsubscribe", args=[unsubscribe_token(subscriber)])

    page = client.get(url)
    assert page.status_code == 200 and "Stop the weekly email" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.weekly_email is True  # a GET (a link scanner) changes nothing

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.weekly_email, subscriber.weekly_email_due_at) == (False, None)


def test_one_click_unsubscribe_needs_no_csrf_token(subscriber):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:unsubscribe", args=[unsubscribe_token(subscriber)]),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.weekly_email is False


@pytest.mark.parametrize(
    "change", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "nonsense"]
)
def test_a_tampered_unsubscribe_link_answers_400_with_a_message(client, subscriber, change):
    response = client.post(
        reverse("accounts:unsubscribe", args=[change(unsubscribe_token(subscriber))])
    )
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.weekly_email is True


def test_password_reset_answers_at_once_and_the_worker_sends_a_working_link(smtp, client, learner):
    response = client.post(reverse("accounts:password-reset"), {"email": learner.email})
    assert response.status_code == 302
    assert smtp.messages == []  # nothing sent inside the request
    task = DBTaskResult.objects.get()
    assert "token" not in str(task.args_kwargs)

    run_worker()

    assert len(smtp.messages) == 1
    body = smtp.messages[0][1].get_content()
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", body).group(1)
    assert client.get(link).status_code == 302  # to the set-password form


def test_password_reset_request_succeeds_while_smtp_is_down_and_is_retried(
    smtp_port, client, learner
):
    response = client.post(reverse("accounts:password-reset"), {"email": learner.email})
    assert response.status_code == 302

    run_worker()

    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][-1] == 2


def test_the_weekly_email_says_how_many_reviews_are_due(subscriber):
    from accounts.schedule import local_week_start
    from accounts.weekly_email import weekly_digest, weekly_email_message
    from tests.learning.factories import QuestionFactory

    for title in ("Sampling", "Embeddings"):
        topic = TopicFactory(title=title)
        QuestionFactory(topic=topic)
        TopicStateFactory(
            user=subscriber,
            topic=topic,
            state="done",
            review_due_on=timezone.localdate() - timedelta(days=1),
        )

    message = weekly_email_message(
        weekly_digest(subscriber, local_week_start(subscriber, timezone.now()))
    )

    text, html = message.body, message.alternatives[0].content
    assert "Reviews due: 2 (about 30 min, made room for in this week's plan)." in text
    assert "- 2 reviews: 1 h" in text
    assert "<strong>Reviews due: 2</strong>" in html


def test_the_weekly_email_says_when_no_review_is_due(subscriber):
    from accounts.schedule import local_week_start
    from accounts.weekly_email import weekly_digest, weekly_email_message

    message = weekly_email_message(
        weekly_digest(subscriber, local_week_start(subscriber, timezone.now()))
    )

    assert "No reviews due." in message.body
