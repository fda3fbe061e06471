"""Pages for checks (learning/checks.py): start a topic check, a module test-out or a
review session; answer it on one page; see the result. Every page is the learner's own
and is never stored: an attempt of another learner answers 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.cache import page_versions
from common.fragments import stored_page
from common.timezones import learner_today
from learning.checks import (
    ATTEMPT_LIFETIME,
    CHECK_QUESTIONS,
    MODULE_TOPICS_MAX,
    REVIEW_TOPICS_MAX,
    CheckRefused,
    attempt_answers,
    attempt_submit,
    module_check_start,
    review_start,
    reviews_due,
    scored,
    topic_check_start,
)
from learning.models import CheckAttempt, Module, Question, Resource, Topic, TopicState


def _start_page(request, context: dict, start, nav: str = "learn"):
    """A check's first page: GET says what it is; POST starts it with `start()` and goes
    to it, or shows why it cannot start (the cooldown, no questions, nothing due)."""
    context = {**context, "nav": nav}
    if request.method in ("GET", "HEAD"):
        return render(request, "learning/check_start.html", context)
    try:
        attempt = start()
    except CheckRefused as refusal:
        return render(
            request,
            "learning/check_start.html",
            {**context, "refusal": refusal},
            status=refusal.status,
        )
    return redirect("learning:check-attempt", pk=attempt.pk)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_check(request, module, topic):
    """GET: what the check is; POST: start it (or take up the open one) and go to it."""
    topic = get_object_or_404(
        Topic.objects.active().select_related("module"), module__slug=module, slug=topic
    )
    context = {
        "kind": "topic",
        "topic": topic,
        "resources": list(Resource.objects.filter(topic=topic)),
        "question_count": min(
            CHECK_QUESTIONS, Question.objects.active().filter(topic=topic).count()
        ),
    }
    return _start_page(request, context, lambda: topic_check_start(user=request.user, topic=topic))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def module_check(request, module):
    """GET: what testing out of the module means; POST: start it."""
    module = get_object_or_404(Module.objects.active(), slug=module)
    topic_count = (
        Topic.objects.active()
        .filter(module=module)
        .filter(Exists(Question.objects.filter(topic=OuterRef("pk"), is_archived=False)))
        .count()
    )
    context = {
        "kind": "module",
        "module": module,
        "question_count": min(MODULE_TOPICS_MAX, topic_count),
    }
    return _start_page(
        request, context, lambda: module_check_start(user=request.user, module=module)
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request):
    """GET: how many topics are due; POST: start a session of up to ten of them."""
    due = reviews_due(request.user, learner_today(request.user)).count()
    context = {"kind": "review", "due": due, "question_count": min(due, REVIEW_TOPICS_MAX)}
    return _start_page(request, context, lambda: review_start(user=request.user), nav="dashboard")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_attempt(request, pk):
    """GET: the questions (before submission) or the result (after); POST: submit."""
    if request.method == "POST":
        try:
            attempt_submit(user=request.user, attempt_id=pk, posted=request.POST)
        except CheckRefused as refusal:
            if refusal.status == 404:
                raise_404(refusal)
            return render(
                request,
                "learning/check_refused.html",
                {"refusal": refusal, "attempt_id": pk, "nav": "learn"},
                status=refusal.status,
            )
        return redirect(reverse("learning:check-attempt", kwargs={"pk": pk}) + "#result")
    # The attempt's head (also whose it is) decides which page it is; the page itself is
    # stored under everything it shows: the versions, the attempt, submitted or expired.
    head = (
        CheckAttempt.objects.filter(pk=pk, user=request.user)
        .values("kind", "submitted_at", "expires_at")
        .first()
    )
    if head is None:
        raise Http404("There is no such check.")
    submitted = head["submitted_at"] is not None
    expired = not submitted and head["expires_at"] <= timezone.now()
    page = stored_page("check-attempt", *page_versions(request.user), pk, submitted, expired)
    context = {"page": page, "kind_label": CheckAttempt.Kind(head["kind"]).label, "nav": "learn"}
    if not page.stored:
        try:
            answers = attempt_answers(request.user, pk)
        except CheckRefused as refusal:
            raise_404(refusal)
        attempt = answers[0].attempt
        if submitted:
            context |= _result_context(request, attempt, answers)
        else:
            context |= {
                "attempt": attempt,
                "answers": scored(answers, reveal=False),
                "expired": expired,
                "minutes": int(ATTEMPT_LIFETIME.total_seconds() // 60),
            }
    template = "learning/check_result.html" if submitted else "learning/check_form.html"
    return render(request, template, context)


def raise_404(refusal: CheckRefused):
    raise Http404(refusal.message)


def _result_context(request, attempt: CheckAttempt, answers) -> dict:
    """What the result page shows beside each answer: for a topic check the topic's
    resources, for a review the learner's own notes (one query either way)."""
    context = {"attempt": attempt, "answers": scored(answers, reveal=True), "nav": "learn"}
    topics = {answer.question.topic_id: answer.question.topic for answer in answers}
    if attempt.kind == CheckAttempt.Kind.TOPIC:
        context["resources"] = list(Resource.objects.filter(topic_id=attempt.topic_id))
        context["topic"] = answers[0].question.topic
    elif attempt.kind == CheckAttempt.Kind.REVIEW:
        notes = dict(
            TopicState.objects.for_user(request.user)
            .filter(topic_id__in=topics)
            .exclude(note="")
            .values_list("topic_id", "note")
        )
        for row in context["answers"]:
            row.note = notes.get(row.answer.question.topic_id, "")
    else:
        context["module"] = attempt.module
        context["verified_topics"] = [a.question.topic for a in answers if a.is_correct]
        context["to_learn"] = [a.question.topic for a in answers if not a.is_correct]
    return context
