import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from careers.querysets import RoleQuerySet


class Role(models.Model):
    """A job in Generative AI that a learner can aim for."""

    class Focus(models.TextChoices):
        RESEARCH = "research", "Research"
        ENGINEERING = "engineering", "Engineering"
        DATA = "data", "Data"
        PRODUCT = "product", "Product"
        GOVERNANCE = "governance", "Governance"

    class Seniority(models.TextChoices):
        ENTRY = "entry", "Entry level"
        MID = "mid", "Mid-career"
        SENIOR = "senior", "Senior"
        LEADERSHIP = "leadership", "Leadership"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(help_text="Markdown.")
    focus = models.CharField(max_length=20, choices=Focus.choices)
    seniority = models.CharField(max_length=20, choices=Seniority.choices)
    order = models.PositiveIntegerField(default=0)
    education = models.TextField(blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True, help_text="USD per year.")
    salary_max = models.PositiveIntegerField(null=True, blank=True, help_text="USD per year.")
    salary_note = models.CharField(max_length=300, blank=True)
    industries = models.JSONField(default=list, blank=True, help_text="A list of industry names.")
    leads_to = models.ManyToManyField(
        "self", symmetrical=False, related_name="comes_from", blank=True
    )
    # Declared here, pointing down the chain of apps; `idea.roles` is the reverse side. The
    # table keeps the name it had when the link was declared on ProjectIdea.
    project_ideas = models.ManyToManyField(
        "learning.ProjectIdea",
        related_name="roles",
        blank=True,
        db_table="learning_projectidea_roles",
        help_text="Portfolio project ideas that show this role's skills.",
    )
    is_archived = models.BooleanField(
        default=False, help_text="Hidden from browsing; kept for learners' history."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="role_salary_min_not_above_max",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("careers:role-detail", kwargs={"slug": self.slug})


class Responsibility(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities")
    text = models.CharField(max_length=400)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "responsibilities"

    def __str__(self):
        return self.text


class RoleRequirement(models.Model):
    """A module a role needs, and how much it needs it."""

    class Importance(models.TextChoices):
        CORE = "core", "Core"
        RECOMMENDED = "recommended", "Recommended"
        OPTIONAL = "optional", "Optional"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    module = models.ForeignKey(
        "learning.Module", on_delete=models.CASCADE, related_name="requirements"
    )
    importance = models.CharField(max_length=20, choices=Importance.choices)

    class Meta:
        ordering = ["role", "module__order"]
        constraints = [
            models.UniqueConstraint(fields=["role", "module"], name="requirement_unique_per_role"),
        ]

    def __str__(self):
        return f"{self.role}: {self.module} ({self.get_importance_display()})"


class ContentVersion(models.Model):
    """One load of the content pack that changed something: what it added, changed,
    replaced (carrying learners' progress over) and retired."""

    number = models.PositiveIntegerField(unique=True)
    loaded_at = models.DateTimeField()
    roles = models.PositiveIntegerField(help_text="Active roles after the load.")
    modules = models.PositiveIntegerField(help_text="Active modules after the load.")
    topics = models.PositiveIntegerField(help_text="Active topics after the load.")
    projects = models.PositiveIntegerField(help_text="Active project ideas after the load.")
    added_topics = models.JSONField(default=list, blank=True)
    changed_topics = models.JSONField(default=list, blank=True)
    replaced_topics = models.JSONField(
        default=list, blank=True, help_text="Old slugs whose learners' progress was carried over."
    )
    retired_topics = models.JSONField(default=list, blank=True)
    carried_states = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Content version {self.number} ({self.loaded_at:%Y-%m-%d})"


class StudyPlan(models.Model):
    """What a learner keeps about their week-by-week plan (the plan itself is computed,
    careers/plan.py): the ready-by date they committed to, and their private calendar feed
    (only a hash of its token is stored; SEQUENCE rises each time the feed's events change)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_plan"
    )
    committed_ready_on = models.DateField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    feed_sequence = models.PositiveIntegerField(default=0)
    feed_fingerprint = models.CharField(max_length=64, blank=True)
    feed_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Study plan of {self.user}"
