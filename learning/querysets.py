"""Reads for the learning app. Progress is arithmetic the database does."""

from django.db import models
from django.db.models import (
    Count,
    Prefetch,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce

from common.search import search_queryset

# Done, or skipped as already known: both count toward readiness.
COMPLETE_STATES = ("done", "skipped")


class ModuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def search(self, query: str):
        return search_queryset(self, query, ["title", "summary"])

    def with_topic_totals(self):
        """Annotate each module with its count and hours of active topics."""
        active_topics = Q(topics__is_archived=False)
        return self.annotate(
            topic_count=Count("topics", filter=active_topics),
            total_hours=Coalesce(Sum("topics__hours", filter=active_topics), 0),
        )


class TopicQuerySet(models.QuerySet):
    def active(self):
        """Topics shown and counted: neither they nor their module are archived."""
        return self.filter(is_archived=False, module__is_archived=False)

    def search(self, query: str):
        return search_queryset(self, query, ["title", "description"])

    def for_rows(self):
        """Topics as topic rows show them: with their module and `active_prerequisites`,
        and without the long descriptions (two queries)."""
        from learning.models import Topic

        prerequisites = (
            Topic.objects.active()
            .select_related("module")
            .only("title", "slug", "module", "module__slug", "module__title")
            .order_by("module__order", "order")
        )
        return (
            self.select_related("module")
            .defer("description", "module__summary")
            .prefetch_related(
                Prefetch("prerequisites", queryset=prerequisites, to_attr="active_prerequisites")
            )
        )


class TopicStateQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def complete(self):
        return self.filter(state__in=COMPLETE_STATES)


class ProjectIdeaQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def search(self, query: str):
        return search_queryset(self, query, ["title", "summary", "description"])


class PortfolioProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class QuestionQuerySet(models.QuerySet):
    def active(self):
        """Questions a check may ask: not retired, on an active topic and module."""
        return self.filter(
            is_archived=False, topic__is_archived=False, topic__module__is_archived=False
        )

    def with_answer_stats(self):
        """Annotate `answered` (submitted answers) and `answered_correctly` (aggregate,
        over every learner: staff see no one's attempts, only these counts)."""
        submitted = Q(answers__is_correct__isnull=False)
        return self.annotate(
            answered=Count("answers", filter=submitted),
            answered_correctly=Count("answers", filter=Q(answers__is_correct=True)),
        )


class CheckAttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)
