import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from careers.catalogue import catalogue
from careers.changes import since_last_visit
from careers.filters import RoleFilterForm
from careers.forms import SearchForm
from careers.models import ContentVersion, Role
from careers.path import role_path
from careers.readiness import (
    evidence,
    next_up,
    readiness_by_role,
    ready_on,
    role_progress,
)
from common.cache import content_cached, content_version, page_versions
from common.fragments import stored_page
from common.timezones import learner_today
from learning.activity import activity
from learning.checks import reviews_due
from learning.forms import TopicStateForm
from learning.models import Module, ProjectIdea, Topic
from learning.progress import done_by_module, learner_marks, topic_row
from learning.services import topic_state_tick

# Roles


def _with_paths(roles) -> list[Role]:
    """The roles, each with its `path` (careers/path.py) for the hours on its card."""
    roles = list(roles)
    for role in roles:
        role.path = role_path(role)
    return roles


@require_safe
def home(request):
    page = stored_page("home", content_version(), request.user.is_authenticated)
    context = {"page": page}
    if not page.stored:
        roles = content_cached("home-roles", lambda: _with_paths(Role.objects.active()))
        context["roles"] = roles
        context["stats"] = content_cached(
            "home-stats",
            lambda: {
                "roles": len(roles),
                "modules": Module.objects.active().count(),
                "topics": Topic.objects.active().count(),
            },
        )
    return render(request, "careers/home.html", context)


@require_safe
def role_list(request):
    filters = RoleFilterForm(request.GET or None)
    filter_key = f"{filters.cleaned_data}" if filters.is_valid() else "all"

    page = stored_page("role-list", *page_versions(request.user), request.get_full_path())
    context = {"page": page, "filters": filters, "nav": "roles"}
    if not page.stored:
        roles = content_cached(
            f"role-list:{filter_key}",
            lambda: _with_paths(filters.filter(Role.objects.active())),
        )
        readiness = {}
        if request.user.is_authenticated and roles:
            readiness = {r.role.pk: r for r in readiness_by_role(request.user)}
        for role in roles:
            role.readiness = readiness.get(role.pk)
        context["roles"] = roles
    return render(request, "careers/role_list.html", context)


def role_head(slug):
    """The role page's head (pk, title, summary): small, cached, read on every view."""
    return content_cached(
        f"role-head:{slug}",
        lambda: Role.objects.active().filter(slug=slug).values("pk", "title", "summary").first(),
    )


@require_safe
def role_detail(request, slug):
    # What the page needs outside its cached body: small enough to fetch on every view.
    head = role_head(slug)
    if head is None:
        raise Http404("No such role.")

    def load_role():
        role = (
            Role.objects.active()
            .prefetch_related(
                "responsibilities",
                Prefetch("leads_to", queryset=Role.objects.active()),
                Prefetch("comes_from", queryset=Role.objects.active()),
            )
            .get(pk=head["pk"])
        )
        return role, list(ProjectIdea.objects.active().filter(roles=role))

    page = stored_page(
        "role-page", *page_versions(request.user), head["pk"], request.get_full_path()
    )
    context = {
        "page": page,
        "head": head,
        "is_target": request.user.is_authenticated and request.user.target_role_id == head["pk"],
        "nav": "roles",
    }
    if not page.stored:
        role, project_ideas = content_cached(f"role:{slug}", load_role)
        context["role"] = role
        context["project_ideas"] = project_ideas
        context["progress"] = role_progress(request.user, role)
    return render(request, "careers/role_detail.html", context)


# Dashboard


DASHBOARD_VALUES = [
    "role",
    "closest_roles",
    "activity",
    "progress",
    "next_topics",
    "ready_on",
    "evidence",
    "done_hours_anywhere",
    "reviews_due",
]


def dashboard_context(user) -> dict:
    role = catalogue().roles.get(user.target_role_id)
    done = done_by_module(user)
    context = dict.fromkeys(DASHBOARD_VALUES)
    context.update(
        role=role,
        # Only roles the learner has made a start on mean anything here; the order is the
        # one the card states (readiness, then fewest hours left).
        closest_roles=[r for r in readiness_by_role(user, done) if r.readiness_percent > 0][:5],
        activity=activity(user),
        done_hours_anywhere=sum(figures.hours for figures in done.values()),
        reviews_due=reviews_due(user, learner_today(user)).count(),
    )
    if role is None:
        return context
    progress = role_progress(user, role, done)
    context.update(
        progress=progress,
        next_topics=next_up(user, role, done),
        # A date only at a pace the learner chose, never at the default they never saw.
        ready_on=ready_on(progress.hours_left, user.weekly_hours) if user.pace_chosen else None,
        evidence=evidence(user, progress),
    )
    return context


def _dashboard_page(request, template, **extra):
    """The dashboard for the signed-in learner. It changes with their data, the content
    and the date, which its stored page's key names; `extra` is shown outside it."""
    today = learner_today(request.user)
    page = stored_page("dashboard-page", *page_versions(request.user), today)
    context = {
        **extra,
        "page": page,
        "nav": "dashboard",
        "next_url": reverse("careers:dashboard"),
        "dashboard_url": reverse("careers:dashboard"),
        "today": today,
    }
    if not page.stored:
        context |= dashboard_context(request.user)
    return render(request, template, context)


def _dashboard_tick(request, topic, tick, written, done):
    """The answer to an htmx tick on the dashboard: the row, marked, in its place (the list
    does not move under the cursor), the readiness card and the status line."""
    role = catalogue().roles.get(request.user.target_role_id)
    progress = role_progress(request.user, role, done) if role is not None else None
    context = {
        "topic": learner_marks(request.user, [topic], written=written, done=done)[0],
        "tick": tick,
        "role": role,
        "progress": progress,
        "ready_on": (
            ready_on(progress.hours_left, request.user.weekly_hours)
            if progress and request.user.pace_chosen
            else None
        ),
        "done_hours_anywhere": sum(figures.hours for figures in done.values()),
        "dashboard_url": reverse("careers:dashboard"),
        "next_url": reverse("careers:dashboard"),
    }
    return render(request, "careers/dashboard.html#tick-response", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    """The dashboard; a POST ticks one of its next-up topics (`topic`, `state`) and, for
    htmx, answers with the dashboard's body."""
    if request.method == "POST":
        topic = topic_row(request.POST.get("topic", ""))
        if topic is None:
            raise Http404("No such topic.")
        form = TopicStateForm(request.POST)
        if not form.is_valid():
            if request.htmx:
                return HttpResponse("That is not a valid state.", status=400)
            messages.error(request, "That is not a valid state; nothing was changed.")
            return redirect("careers:dashboard")
        tick, written, done = topic_state_tick(
            user=request.user, topic=topic, state=form.cleaned_data["state"]
        )
        if request.htmx:
            return _dashboard_tick(request, topic, tick, written, done)
        if tick.changed:
            messages.success(request, tick.message, extra_tags=tick.undo_tag)
        return redirect(reverse("careers:dashboard") + f"#topic-{topic.slug}")
    return _dashboard_page(
        request,
        "careers/dashboard.html",
        # Told once, so only a GET (never a HEAD) marks the changes as seen.
        since_last_visit=since_last_visit(request.user) if request.method == "GET" else None,
    )


# Search


SEARCH_LIMIT = 20


def search_results(query: str) -> dict:
    """Matches for a query across roles, modules, topics and project ideas (four queries)."""
    results = {
        "roles": Role.objects.active().search(query),
        "modules": Module.objects.active().search(query),
        "topics": Topic.objects.active().select_related("module").search(query),
        "projects": ProjectIdea.objects.active().search(query),
    }
    results = {kind: list(matches[:SEARCH_LIMIT]) for kind, matches in results.items()}
    results["count"] = sum(len(matches) for matches in results.values())
    return results


@require_safe
def search(request):
    form = SearchForm(request.GET) if "q" in request.GET else None
    results = None
    if form is not None and form.is_valid():
        query = form.cleaned_data["q"]
        # Results depend on content alone, so they are cached per content version.
        key = hashlib.blake2b(query.lower().encode(), digest_size=16).hexdigest()
        results = content_cached(f"search:{key}", lambda: search_results(query))
    status = 400 if form is not None and not form.is_valid() and request.GET.get("q") else 200
    return render(
        request,
        "careers/search.html",
        {"form": form, "results": results, "search_query": request.GET.get("q", "")[:100]},
        status=status,
    )


# What changed


@require_safe
def change_list(request):
    """What changed in the content, newest first."""
    versions = ContentVersion.objects.all()[:50]
    return render(request, "careers/change_list.html", {"versions": versions})
