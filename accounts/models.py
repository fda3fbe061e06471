from datetime import time

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

DUPLICATE_EMAIL = "An account with this email already exists."
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ALL_DAYS = (1 << len(WEEKDAYS)) - 1
SATURDAY = 1 << 5


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A learner or a member of staff; signs in with an email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(
        "email address", unique=True, error_messages={"unique": DUPLICATE_EMAIL}
    )
    display_name = models.CharField(max_length=80, blank=True)
    target_role = models.ForeignKey(
        "careers.Role",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targeted_by",
    )
    weekly_hours = models.PositiveSmallIntegerField(
        default=5, help_text="Hours a week available for learning, for the pace estimate."
    )
    # A ready-by date is shown only at a pace the learner chose (onboarding or settings),
    # never at the default they never saw.
    pace_chosen = models.BooleanField(
        default=False, help_text="The learner chose their weekly hours themselves."
    )
    public_handle = models.SlugField(
        max_length=40, unique=True, null=True, blank=True, help_text="Address of the public page."
    )
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner followed the confirmation link we sent."
    )
    is_progress_public = models.BooleanField(
        default=False, help_text="Show target role, readiness and done projects at /u/<handle>/."
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name; weeks, the plan and emails use it."
    )
    study_days = models.PositiveSmallIntegerField(
        default=SATURDAY, help_text="Preferred study days: bit 0 is Monday, bit 6 Sunday."
    )
    study_time = models.TimeField(default=time(18, 0), help_text="Local time a session starts.")
    weekly_email = models.BooleanField(default=False, help_text="Opted in to the weekly email.")
    weekly_email_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next weekly email is due (opted in only)."
    )

    content_version_seen = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The content version the learner's dashboard last told them about.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            # A sign-up racing another with the same address can pass the form's own
            # check and meet this one (or the field's) while the form validates: both say
            # it the way the form does.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_code="duplicate_email",
                violation_error_message=DUPLICATE_EMAIL,
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gte=1, weekly_hours__lte=100),
                name="user_weekly_hours_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(is_progress_public=False)
                | models.Q(public_handle__isnull=False),
                name="user_public_page_needs_handle",
            ),
            models.CheckConstraint(
                condition=models.Q(study_days__gte=1, study_days__lte=ALL_DAYS),
                name="user_study_days_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["weekly_email_due_at"],
                condition=models.Q(weekly_email=True),
                name="user_weekly_email_due",
            )
        ]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def study_weekdays(self) -> list[int]:
        """The preferred study days as weekday numbers (0 is Monday)."""
        return [day for day in range(len(WEEKDAYS)) if self.study_days & (1 << day)]


class TargetRoleChange(models.Model):
    """Each time a learner chose a target role; the history survives role deletion."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="target_role_changes")
    role = models.ForeignKey(
        "careers.Role", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role_title = models.CharField(max_length=120, blank=True)
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["-chosen_at", "-id"]
        indexes = [models.Index(fields=["user", "chosen_at"])]

    def __str__(self):
        return f"{self.user} → {self.role_title or 'no target'} ({self.chosen_at:%Y-%m-%d})"


class WeeklyEmail(models.Model):
    """One learner's weekly email for one week (Monday in their zone). At most one row per
    learner and week, whatever races: the sender claims a queued row before sending it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed after the last try"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="weekly_emails")
    week_start = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week_start", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="weekly_email_once_a_week")
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self):
        return f"Weekly email to {self.user} for the week of {self.week_start}"
