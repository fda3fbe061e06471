"""The weekly email: who is due, what it says, the message with its one-click unsubscribe.

Preparing a batch (who is due, their rows, their next due time, the task that sends them)
takes the same five queries whatever its size; each email then reads its learner's
progress (four queries) when it is rendered by the worker."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, WeeklyEmail
from accounts.schedule import local_week_start, weekly_email_due_after
from careers.catalogue import catalogue
from careers.plan import REVIEW_MINUTES, PlanWeek, plan_build
from common.timezones import learner_today, learner_zone
from learning.activity import activity
from learning.checks import reviews_due
from learning.models import TopicState

BATCH_SIZE = 500
UNSUBSCRIBE_SALT = "accounts.weekly-email.unsubscribe"


# Scheduling


def weekly_emails_prepare(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Record the weekly email of up to `limit` learners whose email is due, move each
    learner's next due time on a week, and return the ids of the rows now queued (five
    queries, whatever the batch's size). A row that exists already (another worker, a
    restart) is not made again: the (user, week) constraint refuses it."""
    now = now or timezone.now()
    due = list(
        User.objects.filter(weekly_email=True, weekly_email_due_at__lte=now)
        .only("pk", "time_zone", "study_days", "study_time", "weekly_email_due_at")
        .order_by("weekly_email_due_at", "pk")[:limit]
    )
    if not due:
        return []
    weeks = {user.pk: local_week_start(user, user.weekly_email_due_at) for user in due}
    WeeklyEmail.objects.bulk_create(
        [WeeklyEmail(user_id=pk, week_start=week) for pk, week in weeks.items()],
        ignore_conflicts=True,
    )
    for user in due:
        user.weekly_email_due_at = weekly_email_due_after(user, max(now, user.weekly_email_due_at))
    User.objects.bulk_update(due, ["weekly_email_due_at"], batch_size=limit)
    return list(
        WeeklyEmail.objects.filter(
            user_id__in=list(weeks), week_start__in=set(weeks.values()), attempts=0
        )
        .filter(status=WeeklyEmail.Status.QUEUED)
        .values_list("pk", flat=True)
    )


# What it says


@dataclass
class WeeklyDigest:
    user: User
    last_week_start: date
    last_week_hours: int
    last_week_topics: list[str]
    streak_weeks: int
    this_week: PlanWeek | None
    reviews_due: int
    role_title: str | None
    plan_url: str
    settings_url: str
    unsubscribe_url: str

    @property
    def review_minutes(self) -> int:
        return self.reviews_due * REVIEW_MINUTES


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_id(token: str) -> int:
    """The learner a token was made for; raises signing.BadSignature when tampered with."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(value, int):
        raise signing.BadSignature("Not a learner.")
    return value


def weekly_digest(user: User, week_start: date) -> WeeklyDigest:
    """The email's figures for the week that begins on `week_start` (four queries), this
    week's plan and the reviews due as they stand when it is written (within that week)."""
    zone = learner_zone(user)
    last_week = week_start - timedelta(weeks=1)
    done = (
        TopicState.objects.for_user(user)
        .filter(
            state=TopicState.State.DONE,
            completed_at__gte=datetime.combine(last_week, time.min, tzinfo=zone),
            completed_at__lt=datetime.combine(week_start, time.min, tzinfo=zone),
        )
        .values_list("topic__title", "topic__hours")
        .order_by("completed_at")
    )
    done = list(done)
    role = catalogue().roles.get(user.target_role_id)
    week_began = datetime.combine(week_start, time.min, tzinfo=zone)
    now = min(max(timezone.now(), week_began), week_began + timedelta(days=7, microseconds=-1))
    if role is not None:
        plan = plan_build(user, role, weeks_shown=1, now=now)
        due = plan.weeks[0].reviews_due
    else:
        plan = None
        due = reviews_due(user, learner_today(user, now)).count()
    streak = activity(user, today=week_start + timedelta(days=6)).streak_weeks
    token = unsubscribe_token(user)
    return WeeklyDigest(
        user=user,
        last_week_start=last_week,
        last_week_hours=sum(hours for _, hours in done),
        last_week_topics=[title for title, _ in done],
        streak_weeks=streak,
        this_week=plan.weeks[0] if plan else None,
        reviews_due=due,
        role_title=role.title if role else None,
        plan_url=settings.SITE_URL + reverse("careers:plan"),
        settings_url=settings.SITE_URL + reverse("accounts:settings"),
        unsubscribe_url=settings.SITE_URL
        + reverse("accounts:unsubscribe", kwargs={"token": token}),
    )


def weekly_email_message(digest: WeeklyDigest) -> EmailMultiAlternatives:
    context = {"digest": digest}
    subject = render_to_string("emails/weekly_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/weekly.txt", context),
        to=[digest.user.email],
        headers={
            "List-Unsubscribe": f"<{digest.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("emails/weekly.html", context), "text/html")
    return message
