"""Writes for the learning app: each validates, then writes inside one transaction."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from learning.hooks import role_hooks
from learning.models import PortfolioProject, Topic, TopicState, TopicStateChange
from learning.progress import Tick, done_by_module, module_totals
from learning.querysets import COMPLETE_STATES
from learning.reviews import next_review_on


def _locked_state(*, user, topic: Topic) -> TopicState:
    """The learner's row for the topic, created when missing and locked for update, so
    concurrent changes to the same topic serialise instead of racing."""
    topic_state, _ = TopicState.objects.select_for_update().get_or_create(
        user=user,
        topic=topic,
        defaults={"state": TopicState.State.NOT_STARTED, "state_changed_at": timezone.now()},
    )
    return topic_state


def topic_state_set(
    *, user, topic: Topic, state: str, at=None, verified_at=None
) -> tuple[TopicState, bool]:
    """Set a learner's state on a topic; returns the row and whether the state changed.

    Each change is appended to the learner's history with its time (`at`, now unless
    given: demo data tells a story over past weeks); setting the state the topic already
    has changes nothing. A topic that becomes done or skipped comes due for review (see
    learning/reviews.py); one that stops being complete leaves the review schedule.
    `verified_at` records a passed check: the verification is fresh again and the next
    review moves out by the learner's current interval; a topic already complete (say,
    marked "already know it") keeps its state.
    """
    topic_state, previous = _state_write(
        user=user, topic=topic, state=state, at=at, verified_at=verified_at
    )
    return topic_state, topic_state.state != previous


def _state_write(*, user, topic: Topic, state: str, at=None, verified_at=None):
    """`topic_state_set`'s write; returns the row and the state it had before."""
    if state not in TopicState.State.values:
        raise ValueError(f"Unknown topic state {state!r}.")
    # Inside a caller's transaction (scoring a check) no savepoint: its writes stand or
    # fall with the caller's.
    with transaction.atomic(savepoint=False):
        topic_state = _locked_state(user=user, topic=topic)
        previous = topic_state.state
        now = at or timezone.now()
        if verified_at is not None and topic_state.state in COMPLETE_STATES:
            state = topic_state.state
        changed = topic_state.state != state
        fields = []
        if changed:
            was_complete = topic_state.state in COMPLETE_STATES
            topic_state.state = state
            topic_state.state_changed_at = now
            topic_state.completed_at = now if state in COMPLETE_STATES else None
            fields += ["state", "state_changed_at", "completed_at"]
            if state in COMPLETE_STATES and not was_complete:
                topic_state.review_step = 0
                topic_state.review_due_on = next_review_on(user, step=0, now=now)
                fields += ["review_step", "review_due_on"]
            elif state not in COMPLETE_STATES:
                topic_state.review_due_on = None
                topic_state.needs_review = False
                fields += ["review_due_on", "needs_review"]
        if verified_at is not None:
            topic_state.verified_at = verified_at
            topic_state.needs_review = False
            topic_state.review_due_on = next_review_on(
                user, step=topic_state.review_step, now=verified_at
            )
            fields += ["verified_at", "needs_review", "review_due_on"]
        if not fields:
            return topic_state, previous
        topic_state.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        if changed:
            TopicStateChange.objects.create(user=user, topic=topic, state=state, changed_at=now)
    return topic_state, previous


def topic_state_tick(*, user, topic: Topic, state: str) -> tuple[Tick, TopicState, dict]:
    """Set a learner's state on a topic (see `topic_state_set`) and measure what it did:
    returns the `Tick`, the row as written and the learner's `done_by_module` figures
    afterwards (one query more than the write: the learner's complete topics, which the
    written row then updates)."""
    done_before = done_by_module(user)
    topic_state, previous = _state_write(user=user, topic=topic, state=state)
    done_after = done_before
    if previous != topic_state.state:
        done_after = done_before.changed(
            topic.pk,
            topic_state.verified_at is not None and not topic_state.needs_review
            if topic_state.state in COMPLETE_STATES
            else None,
        )
    tick = Tick(
        topic=topic,
        previous_state=previous,
        state=state,
        module_before=done_before.get(topic.module_id, (0, 0)),
        module_after=done_after.get(topic.module_id, (0, 0)),
        module_topic_count=module_totals().get(topic.module_id, (0, 0))[1],
        readiness_before=role_hooks.target_readiness(user, done_before),
        readiness_after=role_hooks.target_readiness(user, done_after),
    )
    return tick, topic_state, done_after


def topic_note_set(*, user, topic: Topic, note: str) -> TopicState:
    """Save the learner's private note on a topic (an empty note clears it)."""
    with transaction.atomic():
        topic_state = _locked_state(user=user, topic=topic)
        if topic_state.note != note:
            topic_state.note = note
            topic_state.save(update_fields=["note", "updated_at"])
    return topic_state


# A new project identical to one the learner created this recently is the same
# submission sent twice (a double click, a resent form): it is not created again.
REPEAT_WINDOW = timedelta(seconds=30)
REPEAT_FIELDS = [
    "title",
    "description",
    "status",
    "repository_url",
    "demo_url",
    "started_on",
    "finished_on",
]


def _repeated_project(*, form, user) -> PortfolioProject | None:
    """The learner's project created within REPEAT_WINDOW with the same values as the
    form, modules and idea included, if there is one."""
    project = form.instance
    recent = PortfolioProject.objects.for_user(user).filter(
        created_at__gte=timezone.now() - REPEAT_WINDOW,
        idea=project.idea_id,
        **{name: form.cleaned_data.get(name) for name in REPEAT_FIELDS},
    )
    modules = {module.pk for module in form.cleaned_data.get("modules") or []}
    for candidate in recent.prefetch_related("modules"):
        if {module.pk for module in candidate.modules.all()} == modules:
            return candidate
    return None


def portfolio_project_save(*, form, user) -> PortfolioProject:
    """Save a validated portfolio form for its owner, with its modules. A new project
    that repeats one created moments ago returns that one instead of a copy."""
    with transaction.atomic():
        if form.instance.pk is None:
            # Serialise this learner's creations, so two identical submissions racing
            # each other find one another.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if repeated := _repeated_project(form=form, user=user):
                return repeated
        project = form.save(commit=False)
        project.user = user
        project.save()
        form.save_m2m()
    return project
