from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from learning.querysets import (
    COMPLETE_STATES,
    CheckAttemptQuerySet,
    ModuleQuerySet,
    PortfolioProjectQuerySet,
    ProjectIdeaQuerySet,
    QuestionQuerySet,
    TopicQuerySet,
    TopicStateQuerySet,
)


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Module(models.Model):
    """A skill area: a group of topics learnt together."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", "Technical skills"
        DATA = "data", "Data manipulation and analysis"
        CREATIVE = "creative", "Creative and critical thinking"
        SOFT = "soft", "Soft skills"
        DOMAIN = "domain", "Domain knowledge"
        ETHICS = "ethics", "Ethics and regulation"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.TextField()
    order = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text="Hidden from browsing; kept for learners' history."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:module-detail", kwargs={"module": self.slug})


class Topic(models.Model):
    """One thing to learn; a learner's progress hangs on it."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(help_text="Markdown.")
    order = models.PositiveIntegerField(default=0)
    hours = models.PositiveSmallIntegerField(help_text="Estimated hours of study.")
    level = models.CharField(max_length=20, choices=Level.choices)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="unlocks", blank=True
    )
    is_archived = models.BooleanField(
        default=False, help_text="Hidden from browsing and progress; learners' history is kept."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["module__order", "order", "id"]
        indexes = [models.Index(fields=["module", "order"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="topic_hours_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "learning:topic-detail", kwargs={"module": self.module.slug, "topic": self.slug}
        )


class Resource(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        PAPER = "paper", "Paper"
        DOCUMENTATION = "documentation", "Documentation"
        TOOL = "tool", "Tool"
        COMMUNITY = "community", "Community"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_free = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class ProjectIdea(models.Model):
    """A portfolio project a learner can build to show what they know."""

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(help_text="Markdown.")
    difficulty = models.CharField(max_length=20, choices=Level.choices)
    hours = models.PositiveSmallIntegerField(help_text="Estimated hours to build.")
    modules = models.ManyToManyField(Module, related_name="project_ideas", blank=True)
    order = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectIdeaQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="project_idea_hours_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:project-detail", kwargs={"slug": self.slug})


class TopicRedirect(models.Model):
    """An old topic slug, renamed or merged away, and the topic that carries it on now."""

    old_slug = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.topic.slug}"


class ModuleRedirect(models.Model):
    """An old module slug and the module that carries it on now."""

    old_slug = models.SlugField(max_length=120, unique=True)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.module.slug}"


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
