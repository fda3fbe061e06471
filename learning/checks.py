"""Checks: a topic check, a module test-out and a review session, scored by the server.

Starting a check writes the attempt and the questions it shows (with their options in the
order shown); the page carries only option positions, never which is correct. Submitting
it writes the answers once, in one transaction: a repeated, expired, forged or someone
else's submission raises CheckRefused and records nothing.

Pass rule: every question answered correctly (a check is three questions, so one slip is
a third of it; see README). A passed topic check marks the topic done and verified; a
test-out does so for each topic answered correctly; a review moves each topic along its
review schedule (learning/reviews.py).
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from common.cache import learner_cache_bump
from common.timezones import learner_today
from learning.models import CheckAnswer, CheckAttempt, Module, Question, Topic, TopicState
from learning.querysets import COMPLETE_STATES
from learning.reviews import missed_review_on, next_review_on
from learning.services import topic_state_set

CHECK_QUESTIONS = 3
MODULE_TOPICS_MAX = 12
REVIEW_TOPICS_MAX = 10
ATTEMPT_LIFETIME = dt.timedelta(hours=1)
RETAKE_AFTER = dt.timedelta(minutes=10)


class CheckRefused(Exception):
    """A check that cannot start or a submission that cannot count; `status` is the HTTP
    status to answer with and the message says why, in the learner's words."""

    def __init__(self, message: str, *, status: int = 400, wait: dt.timedelta | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.wait = wait


def _shuffled(items: list, rng: random.Random) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


def _attempt_create(*, user, kind, questions: list[Question], now, rng, **subject):
    with transaction.atomic():
        attempt = CheckAttempt.objects.create(
            user=user,
            kind=kind,
            started_at=now,
            expires_at=now + ATTEMPT_LIFETIME,
            total=len(questions),
            **subject,
        )
        CheckAnswer.objects.bulk_create(
            CheckAnswer(
                attempt=attempt,
                question=question,
                position=position,
                option_order=_shuffled(range(len(question.options)), rng),
            )
            for position, question in enumerate(questions)
        )
    return attempt


def _open_or_cooling(user, now, **subject) -> CheckAttempt | None:
    """The learner's unexpired, unsubmitted attempt on the same subject (taken up again,
    so reloading never draws other questions); raises when the last one was submitted
    less than RETAKE_AFTER ago."""
    last = CheckAttempt.objects.for_user(user).filter(**subject).order_by("-started_at").first()
    if last is None:
        return None
    if last.submitted_at is None and last.expires_at > now:
        return last
    if last.submitted_at is not None and now - last.submitted_at < RETAKE_AFTER:
        wait = RETAKE_AFTER - (now - last.submitted_at)
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        raise CheckRefused(
            f"You can take this check again in {minutes} minute{'s' if minutes != 1 else ''}: "
            "time to look at the explanations and the resources first.",
            status=429,
            wait=wait,
        )
    return None


def topic_check_start(*, user, topic: Topic, now=None, rng=None) -> CheckAttempt:
    """A check of up to CHECK_QUESTIONS questions on the topic, preferring questions the
    learner's previous attempt did not ask."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    subject = {"kind": CheckAttempt.Kind.TOPIC, "topic": topic}
    attempt = _open_or_cooling(user, now, **subject)
    if attempt is not None:
        return attempt
    questions = list(Question.objects.active().filter(topic=topic))
    if not questions:
        raise CheckRefused("This topic has no questions yet.", status=404)
    asked_last = set(
        CheckAnswer.objects.filter(
            attempt__in=CheckAttempt.objects.for_user(user)
            .filter(**subject)
            .order_by("-started_at")[:1]
        ).values_list("question_id", flat=True)
    )
    fresh = [q for q in questions if q.pk not in asked_last]
    seen = [q for q in questions if q.pk in asked_last]
    chosen = (_shuffled(fresh, rng) + _shuffled(seen, rng))[:CHECK_QUESTIONS]
    # The topic's state row exists before the check is scored, so scoring only updates it.
    TopicState.objects.get_or_create(
        user=user, topic=topic, defaults={"state": "not_started", "state_changed_at": now}
    )
    return _attempt_create(
        user=user,
        kind=subject["kind"],
        questions=_shuffled(chosen, rng),
        now=now,
        rng=rng,
        topic=topic,
    )


def module_check_start(*, user, module: Module, now=None, rng=None) -> CheckAttempt:
    """One question from each topic of the module that has questions, up to
    MODULE_TOPICS_MAX topics: those not yet verified first, in the module's order."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    subject = {"kind": CheckAttempt.Kind.MODULE, "module": module}
    attempt = _open_or_cooling(user, now, **subject)
    if attempt is not None:
        return attempt
    verified = TopicState.objects.for_user(user).filter(
        topic=OuterRef("pk"), verified_at__isnull=False, needs_review=False
    )
    topics = list(
        Topic.objects.active()
        .filter(module=module)
        .filter(Exists(Question.objects.filter(topic=OuterRef("pk"), is_archived=False)))
        .annotate(is_verified=Exists(verified))
        .order_by("is_verified", "order", "id")
        .values_list("pk", flat=True)[:MODULE_TOPICS_MAX]
    )
    if not topics:
        raise CheckRefused("This module has no questions yet.", status=404)
    by_topic: dict[int, list[Question]] = {}
    for question in Question.objects.active().filter(topic_id__in=topics):
        by_topic.setdefault(question.topic_id, []).append(question)
    chosen = [rng.choice(by_topic[pk]) for pk in topics]
    return _attempt_create(
        user=user, kind=subject["kind"], questions=chosen, now=now, rng=rng, module=module
    )


def reviews_due(user, today: dt.date):
    """The learner's completed topics due for review on `today` that have questions,
    those due longest first."""
    return (
        TopicState.objects.for_user(user)
        .filter(
            state__in=COMPLETE_STATES,
            review_due_on__lte=today,
            topic__is_archived=False,
            topic__module__is_archived=False,
        )
        .filter(Exists(Question.objects.filter(topic=OuterRef("topic"), is_archived=False)))
        .order_by("review_due_on", "topic_id")
    )


def review_start(*, user, now=None, rng=None) -> CheckAttempt:
    """A review session: one question for each of up to REVIEW_TOPICS_MAX due topics."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    last = (
        CheckAttempt.objects.for_user(user)
        .filter(kind=CheckAttempt.Kind.REVIEW, submitted_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if last is not None:
        return last
    topics = list(
        reviews_due(user, learner_today(user, now)).values_list("topic_id", flat=True)[
            :REVIEW_TOPICS_MAX
        ]
    )
    if not topics:
        raise CheckRefused("Nothing is due for review today.", status=404)
    by_topic: dict[int, list[Question]] = {}
    for question in Question.objects.active().filter(topic_id__in=topics):
        by_topic.setdefault(question.topic_id, []).append(question)
    chosen = [rng.choice(by_topic[pk]) for pk in topics if pk in by_topic]
    return _attempt_create(
        user=user, kind=CheckAttempt.Kind.REVIEW, questions=chosen, now=now, rng=rng
    )


# Scoring


@dataclass
class ShownOption:
    position: int  # as shown, the value the form posts
    text: str
    correct: bool | None  # None until the attempt is submitted
    chosen: bool


@dataclass
class ShownAnswer:
    answer: CheckAnswer
    options: list[ShownOption]
    multiple: bool = False  # the question has several right options: checkboxes
    note: str = ""

    @property
    def field(self) -> str:
        """The form field of this answer's options."""
        return f"answer-{self.answer.position}"


def attempt_answers(user, attempt_id: int) -> list[CheckAnswer]:
    """The attempt's answers with their questions, topics and attempt (one query); 404 when
    the attempt is not the learner's. A module test-out's module is not joined (one query
    more on its pages only): the join cost every check and review page a tenth of its time."""
    answers = list(
        CheckAnswer.objects.filter(attempt_id=attempt_id)
        .select_related("attempt", "question__topic__module")
        .order_by("position")
    )
    # Whose attempt it is, checked here rather than joined in SQL: the same answer for
    # another learner's attempt as for none.
    if not answers or answers[0].attempt.user_id != user.pk:
        raise CheckRefused("There is no such check.", status=404)
    return answers


def _chosen(answers: list[CheckAnswer], posted) -> dict[int, list[int]]:
    """The option indexes chosen for each answer, from form data whose keys are
    `answer-<position>` and values the shown positions of the options ticked."""
    positions = {answer.position: answer for answer in answers}
    extra = [
        key
        for key in posted
        if key.startswith("answer-") and key.removeprefix("answer-") not in map(str, positions)
    ]
    if extra:
        raise CheckRefused("The answers name questions that are not in this check.")
    chosen = {}
    for position, answer in positions.items():
        values = posted.getlist(f"answer-{position}")
        if not values:
            raise CheckRefused(
                f"Question {position + 1} has no answer: choose an option for every question."
            )
        try:
            shown = sorted({int(value) for value in values})
        except ValueError:
            raise CheckRefused("An answer is not one of the options shown.") from None
        order = answer.option_order
        if any(not 0 <= index < len(order) for index in shown):
            raise CheckRefused("An answer is not one of the options shown.")
        if len(shown) > 1 and not answer.question.is_multiple:
            raise CheckRefused(f"Question {position + 1} takes one answer.")
        chosen[answer.pk] = sorted(order[index] for index in shown)
    return chosen


def attempt_submit(*, user, attempt_id: int, posted, now=None) -> CheckAttempt:
    """Score a check from the submitted form data, in one transaction: the answers, the
    score, and what they prove (topic states, review schedule). Raises CheckRefused,
    recording nothing, for a check that is not the learner's (404), expired, already
    submitted (409) or whose answers do not match its questions (400)."""
    now = now or timezone.now()
    answers = attempt_answers(user, attempt_id)
    attempt = answers[0].attempt
    if attempt.submitted_at is not None:
        raise CheckRefused("This check was already submitted; nothing changed.", status=409)
    if attempt.expires_at <= now:
        raise CheckRefused(
            "This check expired: a check must be submitted within an hour of starting it. "
            "Start a new one.",
            status=400,
        )
    chosen = _chosen(answers, posted)
    for answer in answers:
        answer.chosen = chosen[answer.pk]
        answer.is_correct = answer.chosen == answer.question.correct_indexes
    correct = sum(answer.is_correct for answer in answers)
    with transaction.atomic():
        # Claimed only if nobody submitted it meanwhile: a double post records it once.
        claimed = CheckAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=now, correct=correct
        )
        if not claimed:
            raise CheckRefused("This check was already submitted; nothing changed.", status=409)
        CheckAnswer.objects.bulk_update(answers, ["chosen", "is_correct"])
        attempt.submitted_at, attempt.correct = now, correct
        if attempt.kind == CheckAttempt.Kind.TOPIC and attempt.passed:
            _verified_set(user, attempt.topic_id, answers, now)
        elif attempt.kind == CheckAttempt.Kind.MODULE:
            for answer in answers:
                if answer.is_correct:
                    _verified_set(user, answer.question.topic_id, [answer], now)
        elif attempt.kind == CheckAttempt.Kind.REVIEW:
            _reviews_record(user, answers, now)
    return attempt


def _verified_set(user, topic_id, answers, now):
    topic_state_set(
        user=user, topic=answers[0].question.topic, state=TopicState.State.DONE, verified_at=now
    )


def _reviews_record(user, answers: list[CheckAnswer], now):
    """Correct: the next review moves out one interval and the verification is fresh.
    Missed: back tomorrow, marked "needs review"; the topic stays done."""
    results = {answer.question.topic_id: answer.is_correct for answer in answers}
    states = list(TopicState.objects.select_for_update().filter(user=user, topic_id__in=results))
    for state in states:
        if results[state.topic_id]:
            state.review_step += 1
            state.review_due_on = next_review_on(user, step=state.review_step, now=now)
            state.needs_review = False
        else:
            state.review_step = 0
            state.review_due_on = missed_review_on(user, now=now)
            state.needs_review = True
        state.updated_at = now
    TopicState.objects.bulk_update(
        states, ["review_step", "review_due_on", "needs_review", "updated_at"]
    )
    # bulk_update passes the signals that retire the learner's stored pages.
    learner_cache_bump(user.pk)


def scored(answers: list[CheckAnswer], *, reveal: bool) -> list[ShownAnswer]:
    """Each answer with its options in the order shown; which are correct only when
    `reveal` (after submission): before it, nothing on the page tells."""
    rows = []
    for answer in answers:
        options = answer.question.options
        chosen = set(answer.chosen or [])
        shown = [
            ShownOption(
                position=position,
                text=options[index]["text"],
                correct=bool(options[index].get("correct")) if reveal else None,
                chosen=index in chosen,
            )
            for position, index in enumerate(answer.option_order)
        ]
        rows.append(ShownAnswer(answer=answer, options=shown, multiple=answer.question.is_multiple))
    return rows
