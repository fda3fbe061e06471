"""Background tasks (django.tasks, run by `manage.py worker`): the weekly emails, the
sign-up emails and password-reset emails, so no request ever waits for a mail server.

A send that fails is tried again later with a growing delay; after the last try the task
fails with the error, which the admin shows (Tasks, and Weekly emails)."""

import logging
import uuid
from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import task
from django.template import loader
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from accounts.models import User, WeeklyEmail
from accounts.weekly_email import weekly_digest, weekly_email_message, weekly_emails_prepare

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
DISPATCH_EVERY = timedelta(minutes=1)
# A row claimed this long ago by a worker that then vanished is sent again.
STALE_CLAIM = timedelta(minutes=15)


class SendFailed(Exception):
    """The last try failed; the message says why."""


def retry_delay(attempt: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min: four times longer after each failed try."""
    return timedelta(seconds=30 * 4 ** (attempt - 1))


# Weekly emails


@task
def weekly_emails_dispatch() -> int:
    """Queue every due weekly email in batches, then come back in a minute. Returns how
    many emails it queued."""
    queued = 0
    while ids := weekly_emails_prepare():
        weekly_emails_send.enqueue(ids)
        queued += len(ids)
    stale = list(
        WeeklyEmail.objects.filter(
            status=WeeklyEmail.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
        ).values_list("pk", flat=True)
    )
    if stale and WeeklyEmail.objects.filter(pk__in=stale).update(
        status=WeeklyEmail.Status.QUEUED, claim=""
    ):
        weekly_emails_send.enqueue(stale)
    dispatch_schedule(after=DISPATCH_EVERY)
    return queued


def dispatch_schedule(*, after: timedelta = timedelta(0)) -> bool:
    """Queue the next dispatch unless one is already waiting; False when one was."""
    path = weekly_emails_dispatch.module_path
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return False
    weekly_emails_dispatch.using(run_after=timezone.now() + after).enqueue()
    return True


@task
def weekly_emails_send(email_ids: list[int], attempt: int = 1) -> str:
    """Send the queued weekly emails among `email_ids` (each claimed first, so two workers
    never send the same one) over one SMTP connection."""
    claim = uuid.uuid4().hex
    WeeklyEmail.objects.filter(pk__in=email_ids, status=WeeklyEmail.Status.QUEUED).update(
        status=WeeklyEmail.Status.SENDING, claim=claim, claimed_at=timezone.now()
    )
    emails = list(WeeklyEmail.objects.filter(claim=claim).select_related("user"))
    failed: dict[int, str] = {}
    sent = 0
    connection = mailers.default
    try:
        for email in emails:
            try:
                message = weekly_email_message(weekly_digest(email.user, email.week_start))
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001 - any failure is retried, then reported
                failed[email.pk] = f"{type(error).__name__}: {error}"
                connection.close()
                continue
            WeeklyEmail.objects.filter(pk=email.pk).update(
                status=WeeklyEmail.Status.SENT,
                sent_at=timezone.now(),
                attempts=attempt,
                last_error="",
            )
            sent += 1
    finally:
        connection.close()
    if failed:
        _weekly_emails_failed(failed, attempt)
    return f"sent {sent}, failed {len(failed)} (try {attempt})"


def _weekly_emails_failed(failed: dict[int, str], attempt: int) -> None:
    last = attempt >= MAX_ATTEMPTS
    with transaction.atomic():
        for pk, error in failed.items():
            WeeklyEmail.objects.filter(pk=pk).update(
                status=WeeklyEmail.Status.FAILED if last else WeeklyEmail.Status.QUEUED,
                attempts=attempt,
                last_error=error[:2000],
                claim="",
            )
    if last:
        raise SendFailed(
            f"{len(failed)} weekly email(s) failed {attempt} times: "
            + "; ".join(sorted(set(failed.values())))[:2000]
        )
    weekly_emails_send.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
        list(failed), attempt + 1
    )


def _send_or_retry(message: EmailMessage, *, again, args: tuple, attempt: int) -> str:
    """Send one email; when that fails, queue `again` (this task) with `args` to try later,
    until the last try fails the task with the error."""
    try:
        message.send()
    except Exception as error:
        name = again.name.replace("_", " ")
        if attempt >= MAX_ATTEMPTS:
            raise SendFailed(f"{name} failed {attempt} times: {error}") from error
        logger.warning("%s failed (try %s): %s", name, attempt, error)
        again.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(*args, attempt + 1)
        return f"retrying: {error}"
    return "sent"


# Sign-up (accounts/signup.py makes the messages; it queues these tasks)


@task
def email_confirm_email_send(user_id: int, site_url: str, attempt: int = 1) -> str:
    """Email the learner a link confirming their address; the link is made here, in the
    worker, so it is never stored in the task's arguments."""
    from accounts.signup import email_confirm_message

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "no such active account"
    if user.email_confirmed_at is not None:
        return "already confirmed"
    message = email_confirm_message(user=user, site_url=site_url)
    return _send_or_retry(
        message, again=email_confirm_email_send, args=(user_id, site_url), attempt=attempt
    )


@task
def signup_existing_email_send(email: str, site_url: str, attempt: int = 1) -> str:
    """Tell an address that has an account that someone tried to sign up with it."""
    from accounts.signup import signup_existing_message

    message = signup_existing_message(email=email, site_url=site_url)
    return _send_or_retry(
        message, again=signup_existing_email_send, args=(email, site_url), attempt=attempt
    )


# Password reset


@task
def password_reset_email_send(user_id: int, domain: str, protocol: str, attempt: int = 1) -> str:
    """Email a password-reset link to the learner; the link is made here, in the worker,
    so it is never stored in the task's arguments."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return "no such active account"
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    subject = "".join(
        loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("accounts/password_reset_email.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    return _send_or_retry(
        message, again=password_reset_email_send, args=(user_id, domain, protocol), attempt=attempt
    )
