"""Learning content, from the content pack: modules, topics, their resources, project ideas,
and the old slugs that still lead to a renamed topic or module."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from learning.querysets import (
    ModuleQuerySet,
    ProjectIdeaQuerySet,
    TopicQuerySet,
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
