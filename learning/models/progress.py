"""A learner's own progress: where they stand on each topic (and every change of it), and
their portfolio."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from learning.models.content import Module, ProjectIdea, Topic
from learning.querysets import (
    COMPLETE_STATES,
    PortfolioProjectQuerySet,
    TopicStateQuerySet,
)

# Learner's progress


class TopicState(models.Model):
    """Where one learner stands on one topic, with their private note."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        LEARNING = "learning", "Learning"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Already know it"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_states"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="states")
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    note = models.TextField(blank=True, max_length=20_000)
    state_changed_at = models.DateTimeField()
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the topic was last marked done or skipped."
    )
    # Evidence and spaced review (learning/checks.py): when a check last proved the topic,
    # whether a missed review has made that proof stale, and when it next comes back.
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner last passed the topic's check."
    )
    needs_review = models.BooleanField(
        default=False, help_text="A review question was missed: the verification is stale."
    )
    review_step = models.PositiveSmallIntegerField(
        default=0, help_text="Reviews answered correctly in a row."
    )
    review_due_on = models.DateField(
        null=True, blank=True, help_text="The day (learner's time zone) it comes up for review."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicStateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_state_unique_per_user"),
            models.CheckConstraint(
                condition=Q(state__in=["not_started", "learning", "done", "skipped"]),
                name="topic_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["done", "skipped"], completed_at__isnull=False)
                | Q(state__in=["not_started", "learning"], completed_at__isnull=True),
                name="topic_state_completed_at_matches_state",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "state", "completed_at"]),
            models.Index(
                fields=["user", "review_due_on"],
                condition=Q(state__in=COMPLETE_STATES),
                name="topic_state_review_due_idx",
            ),
            # "Has this learner completed that topic?" is asked for every prerequisite of
            # every candidate in next-up; this answers it from a small index alone.
            models.Index(
                fields=["user", "topic"],
                condition=Q(state__in=COMPLETE_STATES),
                name="topic_state_complete_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.topic}: {self.get_state_display()}"


class TopicStateChange(models.Model):
    """An append-only record of every state a learner set on a topic, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_state_changes"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=20, choices=TopicState.State.choices)
    changed_at = models.DateTimeField()
    content_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Set when a content update carried this state over from a replaced topic.",
    )

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["user", "changed_at"])]

    def __str__(self):
        return f"{self.user} · {self.topic} → {self.state} at {self.changed_at:%Y-%m-%d %H:%M}"


class PortfolioProject(models.Model):
    """A project a learner built (or plans to build) as evidence of their skills."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_projects"
    )
    idea = models.ForeignKey(
        ProjectIdea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio_projects",
    )
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=20_000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    repository_url = models.URLField(max_length=500, blank=True)
    demo_url = models.URLField(max_length=500, blank=True)
    modules = models.ManyToManyField(Module, related_name="portfolio_projects", blank=True)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PortfolioProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=F("started_on")),
                name="portfolio_finished_not_before_started",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done"]),
                name="portfolio_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:portfolio-edit", kwargs={"pk": self.pk})
