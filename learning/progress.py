"""A learner's progress on learning content, computed by the database in a handful of
queries: hours done per module, the marks on topic rows, a tick's figures (weekly
activity is in activity.py). Readiness toward
a role is careers' (careers/readiness.py), built on these figures. Archived topics and
modules stop counting but keep their history.
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from common.cache import content_cached, content_kept
from learning.models import Module, Topic, TopicState
from learning.querysets import COMPLETE_STATES


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded down so 99.6% never shows as ready."""
    if not whole:
        return 0
    return min(100, math.floor(part * 100 / whole))


def module_totals() -> dict[int, tuple[int, int]]:
    """Per active module, (hours, number of active topics), as
    `Module.objects.with_topic_totals()` defines them; content-only, cached per content
    version (one query on a miss)."""
    return content_cached(
        "module-totals",
        lambda: {
            pk: (hours, count)
            for pk, hours, count in Module.objects.active()
            .with_topic_totals()
            .values_list("pk", "total_hours", "topic_count")
            .order_by()
        },
    )


class ModuleDone(NamedTuple):
    """A learner's figures on one module: hours and topics done or skipped, and of those
    the hours and topics verified by a check (and not gone stale in review)."""

    hours: int = 0
    topics: int = 0
    verified_hours: int = 0
    verified_topics: int = 0


NOTHING_DONE = ModuleDone()


def module_progress(module_id: int, done) -> dict:
    """A learner's figures on one module, as the module's pages show them: topics and
    hours done or already known against the module's, verified topics and a percent of
    the hours. `done` is what `done_by_module` gives."""
    total_hours, topic_count = module_totals().get(module_id, (0, 0))
    done_here = done.get(module_id, NOTHING_DONE)
    return {
        "total_hours": total_hours,
        "done_hours": done_here.hours,
        "topic_count": topic_count,
        "done_count": done_here.topics,
        "verified_count": done_here.verified_topics,
        "percent": percent(done_here.hours, total_hours),
    }


# A verification counts while the topic is complete and no review has been missed since.
FRESHLY_VERIFIED = Q(verified_at__isnull=False, needs_review=False)


class TopicFacts(NamedTuple):
    module_id: int
    hours: int


def topic_facts() -> dict[int, TopicFacts]:
    """Per active topic, its module and hours (content, kept per process; one query on a
    miss)."""
    return content_kept(
        "topic-facts",
        lambda: {
            pk: TopicFacts(module_id, hours)
            for pk, module_id, hours in Topic.objects.active().values_list(
                "pk", "module_id", "hours"
            )
        },
    )


class LearnerDone(dict):
    """A learner's complete topics: per active module its `ModuleDone` figures (this is a
    mapping `module id -> ModuleDone`), and in `topics` each complete active topic with
    whether its verification is fresh, for figures over topics from many modules (the
    path of a role)."""

    def __init__(self, topics: dict[int, bool]):
        facts = topic_facts()
        by_module: dict[int, list[int]] = {}
        active: dict[int, bool] = {}
        for topic_id, verified in topics.items():
            topic = facts.get(topic_id)
            if topic is None:  # archived, or its module is
                continue
            active[topic_id] = verified
            figures = by_module.setdefault(topic.module_id, [0, 0, 0, 0])
            figures[0] += topic.hours
            figures[1] += 1
            if verified:
                figures[2] += topic.hours
                figures[3] += 1
        super().__init__({pk: ModuleDone(*figures) for pk, figures in by_module.items()})
        self.topics = active

    def changed(self, topic_id: int, fresh: bool | None) -> "LearnerDone":
        """These figures with one topic changed: complete (`fresh` says whether its
        verification counts) or, with None, not complete. Only its module's figures are
        worked out again."""
        new = LearnerDone.__new__(LearnerDone)
        dict.__init__(new, self)
        new.topics = dict(self.topics)
        facts = topic_facts().get(topic_id)
        if facts is None:  # archived: counted nowhere
            return new
        before = new.topics.pop(topic_id, None)
        if fresh is not None:
            new.topics[topic_id] = fresh
        figures = list(self.get(facts.module_id, NOTHING_DONE))
        for sign, verified in ((-1, before), (1, fresh)):
            if verified is not None:
                figures[0] += sign * facts.hours
                figures[1] += sign
                if verified:
                    figures[2] += sign * facts.hours
                    figures[3] += sign
        if figures[1]:
            new[facts.module_id] = ModuleDone(*figures)
        else:
            new.pop(facts.module_id, None)
        return new

    def hours(self, topic_ids) -> tuple[int, int]:
        """(done hours, verified hours) over a set of topic ids."""
        facts, topics = topic_facts(), self.topics
        # Walk the smaller side: a learner with thousands of topics done against a short
        # path, or a long path against a newcomer's few.
        shared = (
            [t for t in topic_ids if t in topics]
            if len(topic_ids) < len(topics)
            else [t for t in topics if t in topic_ids]
        )
        done = verified = 0
        for topic_id in shared:
            hours = facts[topic_id].hours
            done += hours
            verified += hours if topics[topic_id] else 0
        return done, verified


def done_by_module(user) -> LearnerDone:
    """The learner's topics that are done or skipped and whether each is freshly verified,
    with per-module figures (one query over their states; none for a visitor)."""
    if not user.is_authenticated:
        return LearnerDone({})
    # No join to leave out archived topics: LearnerDone counts only the active topics of
    # the content version (topic_facts), which is the same filter without reading topics.
    rows = (
        TopicState.objects.for_user(user)
        .complete()
        .annotate(
            fresh=ExpressionWrapper(FRESHLY_VERIFIED, output_field=BooleanField()),
        )
        .values_list("topic_id", "fresh")
    )
    return LearnerDone(dict(rows))


def topic_row(slug: str) -> Topic | None:
    """An active topic as its row shows it (see `Topic.objects.for_rows()`), cached with
    the content."""
    return content_cached(
        f"topic-row:{slug}", lambda: Topic.objects.active().filter(slug=slug).for_rows().first()
    )


def learner_marks(user, topics: list[Topic], *, written=None, done=None) -> list[Topic]:
    """Topics from `Topic.objects.for_rows()`, each marked with the learner's `user_state`,
    `has_note`, `is_complete`, `verified_on` (the date of a fresh verification, else None)
    and `needs_review`, each of its prerequisites with `is_complete`, and given the list
    of `open_prerequisites` (one query over the learner's states; none for a visitor).
    A tick, which has just `written` the one topic's row and knows what the learner has
    `done` (their `done_by_module` figures), passes both and the marks cost no query."""
    marks = {}
    if written is not None:
        marks = {
            written.topic_id: (
                written.state,
                bool(written.note),
                written.verified_at,
                written.needs_review,
            )
        }
        complete = done.topics
    else:
        if user.is_authenticated:
            ids = {t.pk for t in topics} | {p.pk for t in topics for p in t.active_prerequisites}
            marks = {
                topic_id: (state, has_note, verified_at, needs_review)
                for topic_id, state, has_note, verified_at, needs_review in (
                    TopicState.objects.for_user(user)
                    .filter(topic_id__in=ids)
                    .annotate(has_note=ExpressionWrapper(~Q(note=""), output_field=BooleanField()))
                    .values_list("topic_id", "state", "has_note", "verified_at", "needs_review")
                )
            }
        complete = {pk for pk, mark in marks.items() if mark[0] in COMPLETE_STATES}
    for topic in topics:
        topic.user_state, topic.has_note, verified_at, topic.needs_review = marks.get(
            topic.pk, ("not_started", False, None, False)
        )
        topic.is_complete = topic.user_state in COMPLETE_STATES
        topic.needs_review = topic.needs_review and topic.is_complete
        topic.verified_on = (
            timezone.localdate(verified_at)
            if verified_at and topic.is_complete and not topic.needs_review
            else None
        )
        for prerequisite in topic.active_prerequisites:
            prerequisite.is_complete = prerequisite.pk in complete
        topic.open_prerequisites = [p for p in topic.active_prerequisites if not p.is_complete]
    return topics


UNDO_TAG = "undo:"


@dataclass
class Tick:
    """What one change of a topic's state did, for the status line after a tick:
    "Done · +8 h · readiness 7% → 10%", and a milestone reached by it, once."""

    topic: Topic
    previous_state: str
    state: str
    module_before: tuple[int, int]  # (done hours, done topics) in the topic's module
    module_after: tuple[int, int]
    module_topic_count: int
    readiness_before: object | None = None  # the target role's progress, or None
    readiness_after: object | None = None

    @property
    def undo_tag(self) -> str:
        """The extra tag the tick's message carries, so that the page a plain form post
        lands on offers Undo without JavaScript (the `undo_of` template filter)."""
        return f"{UNDO_TAG}{self.topic.slug}:{self.previous_state}"

    @property
    def changed(self) -> bool:
        return self.previous_state != self.state

    @property
    def hours_change(self) -> int:
        return self.module_after[0] - self.module_before[0]

    @property
    def module_finished(self) -> bool:
        count = self.module_topic_count
        return bool(count) and self.module_before[1] < count <= self.module_after[1]

    @property
    def role_finished(self) -> bool:
        before, after = self.readiness_before, self.readiness_after
        return bool(before and after and before.readiness_percent < 100 <= after.readiness_percent)

    @property
    def text(self) -> str:
        parts = [TopicState.State(self.state).label]
        if self.hours_change:
            parts.append(f"{self.hours_change:+d} h".replace("-", "−"))
        before, after = self.readiness_before, self.readiness_after
        if before and after and before.readiness_percent != after.readiness_percent:
            parts.append(f"readiness {before.readiness_percent}% → {after.readiness_percent}%")
        return " · ".join(parts)

    @property
    def message(self) -> str:
        """The status line as a sentence, for the page a plain form post returns to."""
        label = TopicState.State(self.state).label.lower()
        details = self.text.partition(" · ")[2]
        sentence = (
            f"“{self.topic.title}” is now marked {label}{' · ' + details if details else ''}."
        )
        return f"{sentence} {self.milestone}".strip()

    @property
    def milestone(self) -> str:
        if self.role_finished:
            return f"Every topic of the path to {self.readiness_after.role.title} is done."
        if self.module_finished:
            return f"You finished {self.topic.module.title}."
        return ""
