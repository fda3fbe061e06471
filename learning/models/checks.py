"""Checks: the question bank (content) and a learner's attempts and answers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from learning.models.content import Module, Topic
from learning.querysets import (
    CheckAttemptQuerySet,
    QuestionQuerySet,
)

# Checks: the question bank and a learner's attempts


class Question(models.Model):
    """A multiple-choice question about one topic, from the content pack.

    Its options live in `options`, a JSON list of {"text": ..., "correct": bool}: they
    are always read and written with their question (one row for the check page, the
    loader and the admin inline on the topic, where Django cannot nest an options inline
    inside a question inline), never queried on their own. An attempt refers to options
    by their index, so options are only ever edited with the question retired and a new
    one written when the meaning changes.
    """

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    slug = models.SlugField(max_length=140, unique=True)
    prompt = models.TextField(max_length=400)
    options = models.JSONField(help_text='A list of {"text": ..., "correct": true/false}.')
    explanation = models.TextField(max_length=600)
    resource_url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text="Retired: never asked again; past attempts keep it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "order", "id"]
        indexes = [models.Index(fields=["topic", "is_archived"])]

    def __str__(self):
        return self.slug

    @property
    def correct_indexes(self) -> list[int]:
        return [index for index, option in enumerate(self.options) if option.get("correct")]

    @property
    def is_multiple(self) -> bool:
        return len(self.correct_indexes) > 1


class CheckAttempt(models.Model):
    """One check a learner took: a topic check, a module test-out or a review session.

    Its questions and the order their options were shown in are its `answers`, written
    when the check starts; the answers given are written once, when it is submitted.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic check"
        MODULE = "module", "Module test-out"
        REVIEW = "review", "Review session"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_attempts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="check_attempts"
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, blank=True, related_name="check_attempts"
    )
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField()

    objects = CheckAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "topic", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["topic", "module", "review"]), name="check_attempt_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="topic", topic__isnull=False)
                | Q(kind="module", module__isnull=False)
                | Q(kind="review"),
                name="check_attempt_names_its_subject",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True, correct__isnull=True)
                | Q(submitted_at__isnull=False, correct__isnull=False, correct__lte=F("total")),
                name="check_attempt_scored_when_submitted",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def passed(self) -> bool:
        return self.correct is not None and self.correct == self.total


class CheckAnswer(models.Model):
    """One question shown in an attempt, and (once submitted) the learner's answer."""

    attempt = models.ForeignKey(CheckAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(help_text="The question's option indexes, as shown.")
    chosen = models.JSONField(null=True, blank=True, help_text="Option indexes chosen.")
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="check_answer_question_once"
            ),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="check_answer_position_once"
            ),
        ]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}: {self.question_id}"
