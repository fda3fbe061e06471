"""The study plan page, the commitment to its ready-by date, and the private calendar feed."""

import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from careers.calendar import FEED_WEEKS, blocks_fingerprint, feed_ical, study_blocks
from careers.catalogue import catalogue
from careers.models import StudyPlan
from careers.plan import plan_build
from careers.services import feed_sequence_sync, feed_token_hash, plan_commit
from common.cache import page_versions
from common.fragments import fragment_key, fragments, stored_page
from common.timezones import learner_today


def plan_context(user, now) -> dict:
    """The plan page's reads: the learner's plan row, their complete states and their
    reviews due (the path comes from the content cache)."""
    role = catalogue().roles.get(user.target_role_id)
    if role is None:
        return {"plan": None}
    study_plan = StudyPlan.objects.filter(user=user).first()
    return {"plan": plan_build(user, role, study_plan=study_plan, now=now)}


@never_cache
@login_required
@require_safe
def plan_detail(request):
    """The plan, week by week. It changes with the learner's data (states, settings, their
    commitment), the content and the learner's date, which its fragment key names: a
    stored page costs the session and the user only. The user is read before the
    versions, so what the plan takes from it is named by value."""
    user, now = request.user, timezone.now()
    today = learner_today(user, now)
    page = stored_page(
        "plan-page",
        *page_versions(user),
        today,
        [user.target_role_id, user.weekly_hours, user.time_zone],
    )
    context = {"page": page, "nav": "plan", "next_url": request.path, "today": today}
    if not page.stored:
        context |= plan_context(user, now)
    return render(request, "careers/plan_detail.html", context)


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
    malformed. Every token costs the same: one hash, one indexed lookup, one comparison.
    The body is stored under everything it is made of (see `feed_key`): a stored feed
    costs that lookup only."""
    wanted = feed_token_hash(token)
    study_plan = StudyPlan.objects.filter(feed_token_hash=wanted).select_related("user").first()
    if study_plan is None or not hmac.compare_digest(study_plan.feed_token_hash, wanted):
        raise Http404("No such calendar feed.")
    plan_url = request.build_absolute_uri(reverse("careers:plan"))
    now = timezone.now()
    # Read before anything of the learner's is read again: what comes after is no older.
    versions = page_versions(study_plan.user)
    body = fragments.get(feed_key(study_plan, versions, now=now, plan_url=plan_url))
    if body is None:
        study_plan, body = feed_build(study_plan, now=now, plan_url=plan_url)
        # Under the row as the build left it: the next read finds its SEQUENCE settled.
        fragments.set(feed_key(study_plan, versions, now=now, plan_url=plan_url), body)
    return HttpResponse(
        body.encode(),
        content_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=900",
            "Content-Disposition": 'inline; filename="study-plan.ics"',
            "X-Robots-Tag": "noindex",
        },
    )


def feed_key(study_plan: StudyPlan, versions, *, now, plan_url: str) -> str:
    """The stored feed's key: everything the body is made of. The content and the
    learner's data read after `versions` by their versions; by value what was read before
    them (the learner's settings that shape the plan and its events, the plan row's feed
    fields), and the learner's date and the plan's address."""
    user = study_plan.user
    return fragment_key(
        "plan-feed",
        [
            *versions,
            learner_today(user, now),
            user.target_role_id,
            user.weekly_hours,
            user.time_zone,
            user.study_days,
            user.study_time.isoformat(),
            str(study_plan.feed_uid),
            study_plan.feed_sequence,
            study_plan.feed_fingerprint,
            study_plan.feed_changed_at,
            plan_url,
        ],
    )


def feed_build(study_plan: StudyPlan, *, now, plan_url: str) -> tuple[StudyPlan, str]:
    """The feed's body, its SEQUENCE raised first when its events changed; returns the
    plan row as that left it."""
    user = study_plan.user
    role = catalogue().roles.get(user.target_role_id)
    blocks = []
    if role is not None:
        plan = plan_build(user, role, weeks_shown=FEED_WEEKS, now=now)
        blocks = study_blocks(user, plan, feed_uid=study_plan.feed_uid, plan_url=plan_url)
    study_plan = feed_sequence_sync(study_plan=study_plan, fingerprint=blocks_fingerprint(blocks))
    body = feed_ical(blocks, sequence=study_plan.feed_sequence, stamp=study_plan.feed_changed_at)
    return study_plan, body.decode()
