import hashlib
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from accounts.redirects import safe_next
from careers.models import Role
from learning.cache import content_cached
from learning.forms import PortfolioProjectForm, SearchForm, TopicNoteForm, TopicStateForm
from learning.fragments import lazy_context
from learning.models import Module, PortfolioProject, ProjectIdea, Topic, TopicState
from learning.progress import (
    activity,
    catalogue,
    done_by_module,
    evidence,
    learner_marks,
    percent,
    readiness_by_role,
    ready_on,
    role_progress,
)
from learning.services import portfolio_project_save, topic_note_set, topic_state_set

# Helpers


def topic_row(slug: str) -> Topic | None:
    """An active topic as its row shows it (see `Topic.objects.for_rows()`), cached with
    the content."""
    return content_cached(
        f"topic-row:{slug}", lambda: Topic.objects.active().filter(slug=slug).for_rows().first()
    )


def summary_context(user, module):
    """The progress summary: this module's progress and readiness for the target role
    (one query)."""
    context = {"summary_module": module, "module_progress": None, "target_readiness": None}
    if not user.is_authenticated:
        return context
    content = catalogue()
    target = content.roles.get(user.target_role_id)
    module_ids = [module.pk]
    if target is not None:
        module_ids += [module_id for module_id, _ in content.requirements.get(target.pk, [])]
    done = done_by_module(user, module_ids)
    total_hours, topic_count = content.module_hours.get(module.pk, (0, 0))
    done_hours, done_count = done.get(module.pk, (0, 0))
    context["module_progress"] = {
        "total_hours": total_hours,
        "done_hours": done_hours,
        "topic_count": topic_count,
        "done_count": done_count,
    }
    if target is not None:
        context["target_readiness"] = role_progress(user, target, done)
    return context


# Public content


@require_safe
def module_list(request):
    def page():
        modules = content_cached(
            "module-list", lambda: list(Module.objects.active().with_topic_totals())
        )
        done = done_by_module(request.user)
        for module in modules:
            module.done_hours = done.get(module.pk, (0, 0))[0]
            module.percent = percent(module.done_hours, module.total_hours)
        order = list(Module.Category.values)
        ordered = sorted(modules, key=lambda m: (order.index(m.category), m.order))
        categories = [
            (Module.Category(category).label, list(items))
            for category, items in groupby(ordered, key=lambda m: m.category)
        ]
        return {"categories": categories}

    context = {"nav": "learn", **lazy_context(page, ["categories"])}
    return render(request, "learning/module_list.html", context)


@require_safe
def module_detail(request, module):
    slug = module
    module = content_cached(
        f"module:{slug}", lambda: Module.objects.active().filter(slug=slug).first()
    )
    if module is None:
        raise Http404("No such module.")

    def page():
        topics = content_cached(
            f"module-rows:{module.pk}",
            lambda: list(Topic.objects.active().filter(module=module).for_rows()),
        )
        learner_marks(request.user, topics)
        return {
            "topics": topics,
            "roles": list(
                Role.objects.active().filter(requirements__module=module).order_by("order")
            ),
            "total_hours": sum(t.hours for t in topics),
            **summary_context(request.user, module),
        }

    context = {
        "module": module,
        "summary_module": module,
        "next_url": request.get_full_path(),
        "nav": "learn",
        **lazy_context(
            page, ["topics", "roles", "total_hours", "module_progress", "target_readiness"]
        ),
    }
    return render(request, "learning/module_detail.html", context)


@require_safe
def topic_detail(request, module, topic):
    module_slug, topic_slug = module, topic
    active = Topic.objects.active().filter(module__slug=module_slug, slug=topic_slug)
    # What the page needs outside its cached body: small enough to fetch on every view.
    head = content_cached(
        f"topic-head:{module_slug}/{topic_slug}", lambda: active.values("pk", "title").first()
    )
    if head is None:
        raise Http404("No such topic.")

    def page():
        topic = content_cached(
            f"topic:{head['pk']}",
            lambda: active.select_related("module").prefetch_related("resources").get(),
        )
        topic_state = None
        if request.user.is_authenticated:
            topic_state = TopicState.objects.filter(user=request.user, topic=topic).first()
        return {
            "topic": topic,
            "row": learner_marks(request.user, [topic_row(topic.slug)])[0],
            "unlocks": list(topic.unlocks.active().select_related("module")),
            "topic_state": topic_state,
            "note_form": TopicNoteForm(initial={"note": topic_state.note if topic_state else ""}),
            **summary_context(request.user, topic.module),
        }

    context = {
        "head": head,
        "next_url": request.get_full_path(),
        "nav": "learn",
        **lazy_context(
            page,
            [
                "topic",
                "row",
                "unlocks",
                "topic_state",
                "note_form",
                "summary_module",
                "module_progress",
                "target_readiness",
            ],
        ),
    }
    return render(request, "learning/topic_detail.html", context)


@require_safe
def project_list(request):
    ideas = ProjectIdea.objects.active().prefetch_related(
        Prefetch("modules", queryset=Module.objects.active()),
        Prefetch("roles", queryset=Role.objects.active()),
    )
    return render(request, "learning/project_list.html", {"ideas": ideas, "nav": "projects"})


@require_safe
def project_detail(request, slug):
    idea = content_cached(
        f"project:{slug}",
        lambda: (
            ProjectIdea.objects.active()
            .prefetch_related(
                Prefetch("modules", queryset=Module.objects.active()),
                Prefetch("roles", queryset=Role.objects.active()),
            )
            .filter(slug=slug)
            .first()
        ),
    )
    if idea is None:
        raise Http404("No such project idea.")
    return render(request, "learning/project_detail.html", {"idea": idea, "nav": "projects"})


SEARCH_LIMIT = 20


def _search(queryset, query, fields):
    """Full-text search with ranking on PostgreSQL; a case-insensitive match elsewhere."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        weights = ["A", "B", "C", "D"]
        vector = SearchVector(fields[0], weight="A", config="english")
        for index, name in enumerate(fields[1:], start=1):
            vector = vector + SearchVector(name, weight=weights[min(index, 3)], config="english")
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(rank=SearchRank(vector, search_query))
            .filter(Q(rank__gt=0) | Q(**{f"{fields[0]}__icontains": query}))
            .order_by("-rank", fields[0])
        )
    condition = Q()
    for word in query.split():
        word_condition = Q()
        for name in fields:
            word_condition |= Q(**{f"{name}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition).order_by(fields[0])


def search_results(query: str) -> dict:
    """Matches for a query across roles, modules, topics and project ideas (four queries)."""
    results = {
        "roles": _search(Role.objects.active(), query, ["title", "summary", "description"]),
        "modules": _search(Module.objects.active(), query, ["title", "summary"]),
        "topics": _search(
            Topic.objects.active().select_related("module"), query, ["title", "description"]
        ),
        "projects": _search(
            ProjectIdea.objects.active(), query, ["title", "summary", "description"]
        ),
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
        "learning/search.html",
        {"form": form, "results": results, "search_query": request.GET.get("q", "")[:100]},
        status=status,
    )


# Topic progress


def _anonymous_to_login(request, fallback):
    next_url = safe_next(request, fallback)
    login_url = redirect_to_login(next_url).url
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


@require_POST
def topic_state_update(request, topic):
    topic = topic_row(topic)
    if topic is None:
        raise Http404("No such topic.")
    if not request.user.is_authenticated:
        return _anonymous_to_login(request, topic.get_absolute_url())
    form = TopicStateForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse("That is not a valid state.", status=400)
        messages.error(request, "That is not a valid state; nothing was changed.")
        return redirect(safe_next(request, topic.module.get_absolute_url()))
    _, changed = topic_state_set(user=request.user, topic=topic, state=form.cleaned_data["state"])
    if request.htmx:
        if request.POST.get("view") == "dashboard":
            return _dashboard_page(request, "learning/dashboard.html#dashboard-body")
        context = {
            "topic": learner_marks(request.user, [topic])[0],
            "next_url": safe_next(request, topic.module.get_absolute_url()),
            **summary_context(request.user, topic.module),
        }
        return render(request, "learning/_topic_state_response.html", context)
    if changed:
        label = TopicState.State(form.cleaned_data["state"]).label
        messages.success(request, f"“{topic.title}” is now marked {label.lower()}.")
    return redirect(safe_next(request, topic.module.get_absolute_url()) + f"#topic-{topic.slug}")


@require_POST
def topic_note_update(request, topic):
    topic = get_object_or_404(Topic.objects.active().select_related("module"), slug=topic)
    if not request.user.is_authenticated:
        return _anonymous_to_login(request, topic.get_absolute_url())
    form = TopicNoteForm(request.POST)
    if not form.is_valid():
        context = {
            "topic": topic,
            "note_form": form,
            "topic_state": TopicState.objects.filter(user=request.user, topic=topic).first(),
        }
        template = "learning/topic_detail.html#note" if request.htmx else "learning/note_error.html"
        return render(request, template, context, status=400)
    topic_state = topic_note_set(user=request.user, topic=topic, note=form.cleaned_data["note"])
    if request.htmx:
        context = {
            "topic": topic,
            "note_form": TopicNoteForm(initial={"note": topic_state.note}),
            "topic_state": topic_state,
            "note_saved": True,
        }
        return render(request, "learning/topic_detail.html#note", context)
    messages.success(
        request, "Your note is saved." if topic_state.note else "Your note is cleared."
    )
    return redirect(topic.get_absolute_url() + "#note")


# Dashboard


DASHBOARD_VALUES = [
    "role",
    "closest_roles",
    "activity",
    "progress",
    "next_topics",
    "ready_on",
    "evidence",
]


def dashboard_context(user: User) -> dict:
    role = catalogue().roles.get(user.target_role_id)
    done = done_by_module(user)
    context = dict.fromkeys(DASHBOARD_VALUES)
    context.update(
        role=role,
        closest_roles=readiness_by_role(user, done)[:5],
        activity=activity(user),
    )
    if role is None:
        return context
    progress = role_progress(user, role, done)
    next_topics = list(Topic.objects.next_up(user, role))
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
        "next_url": reverse("learning:dashboard"),
        "today": timezone.localdate(),
        **lazy_context(lambda: dashboard_context(request.user), DASHBOARD_VALUES),
    }
    return render(request, template, context)


@login_required
@require_safe
def dashboard(request):
    return _dashboard_page(request, "learning/dashboard.html")


# Portfolio


def _owned_project(request, pk):
    return get_object_or_404(PortfolioProject.objects.for_user(request.user), pk=pk)


@login_required
@require_safe
def portfolio_list(request):
    projects = (
        PortfolioProject.objects.for_user(request.user)
        .select_related("idea")
        .prefetch_related("modules")
    )
    return render(
        request, "learning/portfolio_list.html", {"projects": projects, "nav": "portfolio"}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portfolio_create(request):
    idea = None
    idea_slug = request.POST.get("idea") or request.GET.get("idea")
    if idea_slug:
        idea = get_object_or_404(
            ProjectIdea.objects.active().prefetch_related("modules"), slug=idea_slug
        )
    if request.method == "POST":
        form = PortfolioProjectForm(request.POST)
        if form.is_valid():
            form.instance.idea = idea
            project = portfolio_project_save(form=form, user=request.user)
            messages.success(request, f"“{project.title}” is in your portfolio.")
            return redirect("learning:portfolio-list")
    else:
        initial = {}
        if idea:
            initial = {
                "title": idea.title,
                "description": idea.summary,
                "modules": [m.pk for m in idea.modules.all() if not m.is_archived],
            }
        form = PortfolioProjectForm(initial=initial)
    return render(
        request,
        "learning/portfolio_form.html",
        {"form": form, "idea": idea, "nav": "portfolio"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portfolio_edit(request, pk):
    project = _owned_project(request, pk)
    form = PortfolioProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        portfolio_project_save(form=form, user=request.user)
        messages.success(request, f"“{project.title}” is saved.")
        return redirect("learning:portfolio-list")
    return render(
        request,
        "learning/portfolio_form.html",
        {"form": form, "project": project, "idea": project.idea, "nav": "portfolio"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portfolio_delete(request, pk):
    project = _owned_project(request, pk)
    if request.method == "POST":
        title = project.title
        project.delete()
        messages.success(request, f"“{title}” was deleted from your portfolio.")
        return redirect("learning:portfolio-list")
    return render(
        request, "learning/portfolio_confirm_delete.html", {"project": project, "nav": "portfolio"}
    )


# Public progress page


@require_safe
def public_progress(request, handle):
    owner = (
        User.objects.filter(public_handle__iexact=handle, is_progress_public=True, is_active=True)
        .select_related("target_role")
        .first()
    )
    if owner is None:
        raise Http404("No public progress page here.")
    role = owner.target_role if owner.target_role and not owner.target_role.is_archived else None
    progress = role_progress(owner, role) if role else None
    projects = (
        PortfolioProject.objects.for_user(owner)
        .filter(status=PortfolioProject.Status.DONE)
        .prefetch_related(Prefetch("modules", queryset=Module.objects.active()))
    )
    return render(
        request,
        "learning/public_progress.html",
        {"owner": owner, "role": role, "progress": progress, "projects": projects},
    )
