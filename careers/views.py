import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from careers.filters import RoleFilterForm
from careers.forms import SearchForm
from careers.models import ContentVersion, Role
from careers.readiness import (
    catalogue,
    evidence,
    next_up,
    readiness_by_role,
    ready_on,
    role_progress,
)
from common.cache import content_cached
from common.fragments import lazy_context
from learning.checks import reviews_due
from learning.forms import TopicStateForm
from learning.models import Module, ProjectIdea, Topic, TopicState
from learning.progress import activity, done_by_module, topic_row
from learning.reviews import learner_today
from learning.services import topic_state_set

# Roles


@require_GET
def home(request):
    def page():
        roles = content_cached("home-roles", lambda: list(Role.objects.active().with_core_hours()))
        stats = content_cached(
            "home-stats",
            lambda: {
                "roles": len(roles),
                "modules": Module.objects.active().count(),
                "topics": Topic.objects.active().count(),
            },
        )
        return {"roles": roles, "stats": stats}

    return render(request, "careers/home.html", lazy_context(page, ["roles", "stats"]))


@require_GET
def role_list(request):
    filters = RoleFilterForm(request.GET or None)
    filter_key = f"{filters.cleaned_data}" if filters.is_valid() else "all"

    def page():
        roles = content_cached(
            f"role-list:{filter_key}",
            lambda: list(filters.filter(Role.objects.active().with_core_hours())),
        )
        readiness = {}
        if request.user.is_authenticated and roles:
            readiness = {r.role.pk: r for r in readiness_by_role(request.user)}
        for role in roles:
            role.readiness = readiness.get(role.pk)
        return {"roles": roles}

    context = {
        "filters": filters,
        "nav": "roles",
        **lazy_context(page, ["roles"]),
    }
    return render(request, "careers/role_list.html", context)


@require_GET
def role_detail(request, slug):
    # What the page needs outside its cached body: small enough to fetch on every view.
    head = content_cached(
        f"role-head:{slug}",
        lambda: Role.objects.active().filter(slug=slug).values("pk", "title", "summary").first(),
    )
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

    def page():
        role, project_ideas = content_cached(f"role:{slug}", load_role)
        return {
            "role": role,
            "project_ideas": project_ideas,
            "progress": role_progress(request.user, role),
        }

    context = {
        "head": head,
        "is_target": request.user.is_authenticated and request.user.target_role_id == head["pk"],
        "nav": "roles",
        **lazy_context(page, ["role", "project_ideas", "progress"]),
    }
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
    "reviews_due",
]


def dashboard_context(user) -> dict:
    role = catalogue().roles.get(user.target_role_id)
    done = done_by_module(user)
    context = dict.fromkeys(DASHBOARD_VALUES)
    context.update(
        role=role,
        closest_roles=readiness_by_role(user, done)[:5],
        activity=activity(user),
        reviews_due=reviews_due(user, learner_today(user)).count(),
    )
    if role is None:
        return context
    progress = role_progress(user, role, done)
    next_topics = list(next_up(user, role))
    for topic in next_topics:
        topic.open_prerequisites = []  # next-up topics have every prerequisite done
    context.update(
        progress=progress,
        next_topics=next_topics,
        ready_on=ready_on(progress.hours_left, user.weekly_hours),
        evidence=evidence(user, progress),
    )
    return context


def _dashboard_page(request, template):
    """The dashboard, or its body, for the signed-in learner. It changes with their data,
    the content and the date, which its fragment key names."""
    context = {
        "nav": "dashboard",
        "next_url": reverse("careers:dashboard"),
        "dashboard_url": reverse("careers:dashboard"),
        "today": timezone.localdate(),
        **lazy_context(lambda: dashboard_context(request.user), DASHBOARD_VALUES),
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
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
        _, changed = topic_state_set(
            user=request.user, topic=topic, state=form.cleaned_data["state"]
        )
        if request.htmx:
            return _dashboard_page(request, "careers/dashboard.html#dashboard-body")
        if changed:
            label = TopicState.State(form.cleaned_data["state"]).label
            messages.success(request, f"“{topic.title}” is now marked {label.lower()}.")
        return redirect(reverse("careers:dashboard") + f"#topic-{topic.slug}")
    return _dashboard_page(request, "careers/dashboard.html")


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


@require_GET
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


@require_GET
def change_list(request):
    """What changed in the content, newest first."""
    versions = ContentVersion.objects.all()[:50]
    return render(request, "careers/change_list.html", {"versions": versions})
