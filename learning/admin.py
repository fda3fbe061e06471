from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from common.cache import content_cache_bump
from learning.admin_forms import QuestionAdminForm, TopicAdminForm
from learning.models import (
    Module,
    PortfolioProject,
    ProjectIdea,
    Question,
    Resource,
    Topic,
    TopicState,
)

# Shared by the content admins of both apps


@admin.action(description="Archive selected", permissions=["change"])
def archive_selected(modeladmin, request, queryset):
    count = queryset.filter(is_archived=False).update(is_archived=True, updated_at=timezone.now())
    content_cache_bump()
    modeladmin.message_user(request, f"Archived {count} {_name(queryset.model, count)}.")


@admin.action(description="Restore selected", permissions=["change"])
def restore_selected(modeladmin, request, queryset):
    count = queryset.filter(is_archived=True).update(is_archived=False, updated_at=timezone.now())
    content_cache_bump()
    modeladmin.message_user(request, f"Restored {count} {_name(queryset.model, count)}.")


def _name(model, count):
    meta = model._meta
    return meta.verbose_name if count == 1 else meta.verbose_name_plural


class ContentAdmin(admin.ModelAdmin):
    """Admin for content the site shows. Saves, deletes and m2m changes refresh the
    content caches through the content signals (learning/signals.py); only the bulk
    archive actions, which bypass signals, bump the version themselves."""


class ArchivedNotDeletedAdmin(ContentAdmin):
    """Content that learners' progress hangs on: it is archived, never deleted."""

    actions = [archive_selected, restore_selected]

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        messages.error(
            request,
            f"A {opts.verbose_name} cannot be deleted: learners' progress depends on it. "
            "Archive it instead (tick “Is archived”, or use the “Archive selected” action); "
            "it is then hidden from the site and learners keep their history.",
        )
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
        return HttpResponseRedirect(url)


# Content


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ["title", "slug", "order", "hours", "level", "is_archived"]
    extra = 0
    show_change_link = True
    ordering = ["order", "id"]

    def has_add_permission(self, request, obj=None):
        return False  # a new topic needs a description and prerequisites: use "Add topic"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Module)
class ModuleAdmin(ArchivedNotDeletedAdmin):
    list_display = [
        "title",
        "slug",
        "category",
        "order",
        "topic_count",
        "is_archived",
        "updated_at",
    ]
    list_editable = ["order"]
    list_filter = ["category", "is_archived"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    inlines = [TopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(topic_count=Count("topics"))

    @admin.display(description="Topics", ordering="topic_count")
    def topic_count(self, module):
        return module.topic_count


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["title", "url", "kind", "is_free", "order"]
    extra = 0


def _share(answered: int, correct: int) -> str:
    return f"{round(correct * 100 / answered)}%" if answered else "–"


class QuestionStats:
    """Each question's submitted answers and share answered correctly, counted over all
    learners in the one query that lists the questions (staff see no one's attempts)."""

    @admin.display(description="Answered", ordering="answered")
    def answered_count(self, question):
        return question.answered if question.pk else "–"

    @admin.display(description="Correct", ordering="answered_correctly")
    def share_correct(self, question):
        return _share(question.answered, question.answered_correctly) if question.pk else "–"


class QuestionInline(QuestionStats, admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    fields = [
        ("slug", "order", "is_archived"),
        "prompt",
        "options",
        "explanation",
        "resource_url",
        ("answered_count", "share_correct"),
    ]
    readonly_fields = ["answered_count", "share_correct"]
    extra = 0
    ordering = ["is_archived", "order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_answer_stats()

    def has_delete_permission(self, request, obj=None):
        return False  # learners' attempts keep their questions: retire one instead


@admin.action(description="Retire selected questions (never asked again)", permissions=["change"])
def retire_selected(modeladmin, request, queryset):
    count = queryset.filter(is_archived=False).update(is_archived=True, updated_at=timezone.now())
    content_cache_bump()
    modeladmin.message_user(request, f"Retired {count} {_name(queryset.model, count)}.")


@admin.register(Question)
class QuestionAdmin(QuestionStats, ArchivedNotDeletedAdmin):
    form = QuestionAdminForm
    list_display = ["slug", "topic", "answered_count", "share_correct", "is_archived"]
    list_filter = ["is_archived", "topic__module"]
    list_select_related = ["topic"]
    search_fields = ["slug", "prompt", "topic__title"]
    autocomplete_fields = ["topic"]
    readonly_fields = ["updated_at", "answered_count", "share_correct"]
    actions = [retire_selected, restore_selected]

    def get_queryset(self, request):
        return super().get_queryset(request).with_answer_stats()


@admin.register(Topic)
class TopicAdmin(ArchivedNotDeletedAdmin):
    form = TopicAdminForm
    list_display = [
        "title",
        "slug",
        "module",
        "order",
        "hours",
        "level",
        "is_archived",
        "updated_at",
    ]
    list_editable = ["order"]
    list_filter = ["level", "is_archived", "module__category", "module"]
    list_select_related = ["module"]
    search_fields = ["title", "slug", "module__title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["module", "prerequisites"]
    readonly_fields = ["updated_at"]
    inlines = [ResourceInline, QuestionInline]


@admin.register(Resource)
class ResourceAdmin(ContentAdmin):
    list_display = ["title", "topic", "kind", "is_free", "order"]
    list_filter = ["kind", "is_free"]
    list_select_related = ["topic"]
    search_fields = ["title", "url", "topic__title"]
    autocomplete_fields = ["topic"]


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(ContentAdmin):
    list_display = ["title", "slug", "difficulty", "hours", "order", "is_archived", "updated_at"]
    list_editable = ["order"]
    list_filter = ["difficulty", "is_archived"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["modules"]
    readonly_fields = ["updated_at"]
    actions = [archive_selected, restore_selected]


# Learners' data: read-only, for supporting users


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TopicState)
class TopicStateAdmin(ReadOnlyAdmin):
    list_display = ["user", "topic", "state", "state_changed_at"]
    list_filter = ["state"]
    list_select_related = ["user", "topic"]
    search_fields = ["user__email", "topic__title"]
    # The learner's note is private: staff see where they stand, not what they wrote.
    fields = ["user", "topic", "state", "state_changed_at", "completed_at", "created_at"]
    date_hierarchy = "state_changed_at"


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "status", "idea", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["user", "idea"]
    search_fields = ["title", "user__email", "idea__title"]
    fields = [
        "user",
        "title",
        "status",
        "idea",
        "modules",
        "description",
        "repository_url",
        "demo_url",
        "started_on",
        "finished_on",
        "created_at",
        "updated_at",
    ]
