"""Reads for the learning app. Progress is arithmetic the database does."""

from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
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

    def with_user_state(self, user):
        """Annotate `user_state` ("not_started" when none) and `has_note` for one learner."""
        from learning.models import TopicState

        if not user.is_authenticated:
            return self.annotate(
                user_state=Value("not_started"), has_note=Value(False), is_complete=Value(False)
            )
        states = TopicState.objects.filter(user=user, topic=OuterRef("pk"))
        return self.annotate(
            user_state=Coalesce(Subquery(states.values("state")[:1]), Value("not_started")),
            has_note=Exists(states.exclude(note="")),
            is_complete=Exists(states.filter(state__in=COMPLETE_STATES)),
        )

    def with_prerequisites_met(self, user):
        """Annotate `prerequisites_met`: every active prerequisite is done or skipped."""
        from learning.models import Topic, TopicState

        through = Topic.prerequisites.through
        unmet = through.objects.filter(
            from_topic=OuterRef("pk"),
            to_topic__is_archived=False,
            to_topic__module__is_archived=False,
        ).exclude(
            Exists(
                TopicState.objects.filter(
                    user=user, topic=OuterRef("to_topic"), state__in=COMPLETE_STATES
                )
            )
        )
        return self.annotate(prerequisites_met=~Exists(unmet))


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
