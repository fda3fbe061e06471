"""The study plan page, the commitment to its ready-by date, and the private calendar feed."""

import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from careers.calendar import FEED_WEEKS, blocks_fingerprint, feed_ical, study_blocks
from careers.catalogue import catalogue
from careers.models import StudyPlan
from careers.plan import plan_build
from careers.services import feed_sequence_sync, feed_token_hash, plan_commit


@never_cache
@login_required
@require_safe
def plan_detail(request):
    """The plan, week by week (queries: the session, the user, their plan row, their
    complete states; the path comes from the content cache)."""
    user = request.user
    role = catalogue().roles.get(user.target_role_id)
    study_plan = StudyPlan.objects.filter(user=user).first()
    plan = plan_build(user, role, study_plan=study_plan) if role else None
    return render(
        request,
        "careers/plan_detail.html",
        {"plan": plan, "study_plan": study_plan, "nav": "plan", "next_url": request.path},
    )


@require_POST
@login_required
def plan_commit_view(request):
    """Commit to the plan's current ready-by date (again, to re-commit)."""
    role = catalogue().roles.get(request.user.target_role_id)
    if role is None:
        messages.error(request, "Choose a target role first: the plan is the path toward it.")
        return redirect("careers:plan")
    plan = plan_build(request.user, role, weeks_shown=1)
    plan_commit(user=request.user, ready_on=plan.projected_ready_on)
    messages.success(
        request, f"You committed to being ready by {plan.projected_ready_on:%-d %B %Y}."
    )
    return redirect("careers:plan")


@require_safe
def plan_feed(request, token):
    """The learner's plan as an iCalendar feed; 404 for a token that is unknown, revoked or
    malformed. Every token costs the same: one hash, one indexed lookup, one comparison."""
    wanted = feed_token_hash(token)
    study_plan = StudyPlan.objects.filter(feed_token_hash=wanted).select_related("user").first()
    if study_plan is None or not hmac.compare_digest(study_plan.feed_token_hash, wanted):
        raise Http404("No such calendar feed.")
    user = study_plan.user
    role = catalogue().roles.get(user.target_role_id)
    blocks = []
    if role is not None:
        plan = plan_build(user, role, weeks_shown=FEED_WEEKS)
        blocks = study_blocks(
            user,
            plan,
            feed_uid=study_plan.feed_uid,
            plan_url=request.build_absolute_uri(reverse("careers:plan")),
        )
    study_plan = feed_sequence_sync(study_plan=study_plan, fingerprint=blocks_fingerprint(blocks))
    body = feed_ical(blocks, sequence=study_plan.feed_sequence, stamp=study_plan.feed_changed_at)
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=900",
            "Content-Disposition": 'inline; filename="study-plan.ics"',
            "X-Robots-Tag": "noindex",
        },
    )
