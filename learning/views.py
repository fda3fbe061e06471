from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from common.cache import content_cached, page_versions
from common.fragments import stored_page
from common.redirects import safe_next
from learning.forms import PortfolioProjectForm, TopicNoteForm, TopicStateForm
from learning.hooks import role_hooks
from learning.models import (
    Module,
    ModuleRedirect,
    PortfolioProject,
    ProjectIdea,
    Topic,
    TopicState,
)
from learning.progress import (
    NOTHING_DONE,
    done_by_module,
    learner_marks,
    module_progress,
    percent,
    topic_row,
)
from learning.services import portfolio_project_save, topic_note_set, topic_state_tick

# Helpers


def summary_context(user, module, done=None):
    """The progress summary: this module's progress and readiness for the target role
    (one query over the learner's states, none when their `done_by_module` figures are
    given)."""
    context = {"summary_module": module, "module_progress": None, "target_readiness": None}
    if not user.is_authenticated:
        return context
    if done is None:
        done = done_by_module(user)
    context["module_progress"] = module_progress(module.pk, done)
    context["target_readiness"] = role_hooks.target_readiness(user, done)
    return context


# Public content


@require_safe
def module_list(request):
    page = stored_page("module-list", *page_versions(request.user))
    context = {"page": page, "nav": "learn"}
    if not page.stored:
        modules = content_cached(
            "module-list", lambda: list(Module.objects.active().with_topic_totals())
        )
        done = done_by_module(request.user)
        for module in modules:
            module.done_hours = done.get(module.pk, NOTHING_DONE).hours
            module.percent = percent(module.done_hours, module.total_hours)
        order = list(Module.Category.values)
        ordered = sorted(modules, key=lambda m: (order.index(m.category), m.order))
        context["categories"] = [
            (Module.Category(category).label, list(items))
            for category, items in groupby(ordered, key=lambda m: m.category)
        ]
    return render(request, "learning/module_list.html", context)


def module_or_moved(slug: str, url_name: str):
    """The active module at `slug` (kept per content version); for a slug a module had
    before it was renamed, a permanent redirect to `url_name` at its new slug; else 404."""
    module = content_cached(
        f"module:{slug}", lambda: Module.objects.active().filter(slug=slug).first()
    )
    if module is not None:
        return module
    moved = Module.objects.active().filter(redirects__old_slug=slug).first()
    if moved:
        return redirect(url_name, module=moved.slug, permanent=True)
    raise Http404("No such module.")


@require_safe
def module_detail(request, module):
    module = module_or_moved(module, "learning:module-detail")
    if isinstance(module, HttpResponse):
        return module

    next_url = request.get_full_path()
    page = stored_page("module-page", *page_versions(request.user), module.pk, next_url)
    context = {
        "page": page,
        "module": module,
        "summary_module": module,
        "next_url": next_url,
        "nav": "learn",
    }
    if not page.stored:
        topics = content_cached(
            f"module-rows:{module.pk}",
            lambda: list(Topic.objects.active().filter(module=module).for_rows()),
        )
        context |= {
            "topics": learner_marks(request.user, topics),
            "roles": role_hooks.roles_needing_module(module),
            "total_hours": sum(t.hours for t in topics),
            **summary_context(request.user, module),
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
        # A newer topic carries this one on, or its module was renamed.
        moved = Q(redirects__old_slug=topic_slug)
        if ModuleRedirect.objects.filter(old_slug=module_slug).exists():
            moved |= Q(slug=topic_slug)
        moved = Topic.objects.active().filter(moved).select_related("module").first()
        if moved:
            return redirect(moved, permanent=True)
        raise Http404("No such topic.")

    next_url = request.get_full_path()
    page = stored_page("topic-page", *page_versions(request.user), head["pk"], next_url)
    context = {"page": page, "head": head, "next_url": next_url, "nav": "learn"}
    if not page.stored:
        topic = content_cached(
            f"topic:{head['pk']}",
            lambda: active.select_related("module").prefetch_related("resources").get(),
        )
        topic_state = None
        if request.user.is_authenticated:
            topic_state = TopicState.objects.filter(user=request.user, topic=topic).first()
        context |= {
            "topic": topic,
            "row": learner_marks(request.user, [topic_row(topic.slug)])[0],
            "unlocks": list(topic.unlocks.active().select_related("module")),
            "topic_state": topic_state,
            "note_form": TopicNoteForm(initial={"note": topic_state.note if topic_state else ""}),
            **summary_context(request.user, topic.module),
        }
    return render(request, "learning/topic_detail.html", context)


@require_safe
def project_list(request):
    ideas = role_hooks.ideas_with_roles(
        ProjectIdea.objects.active().prefetch_related(
            Prefetch("modules", queryset=Module.objects.active())
        )
    )
    return render(request, "learning/project_list.html", {"ideas": ideas, "nav": "projects"})


@require_safe
def project_detail(request, slug):
    idea = content_cached(
        f"project:{slug}",
        lambda: (
            role_hooks.ideas_with_roles(
                ProjectIdea.objects.active().prefetch_related(
                    Prefetch("modules", queryset=Module.objects.active())
                )
            )
            .filter(slug=slug)
            .first()
        ),
    )
    if idea is None:
        raise Http404("No such project idea.")
    in_portfolio = []
    if request.user.is_authenticated:
        in_portfolio = list(PortfolioProject.objects.for_user(request.user).filter(idea=idea))
    return render(
        request,
        "learning/project_detail.html",
        {"idea": idea, "in_portfolio": in_portfolio, "nav": "projects"},
    )


# Topic progress


def _anonymous_to_login(request, fallback, intent=""):
    """To sign in, or with an `intent` (see accounts/onboarding.py) to sign-up, which says
    what it will save and saves it."""
    next_url = safe_next(request, fallback)
    login_url = redirect_to_login(next_url).url
    if intent:
        query = urlencode({"intent": intent, "next": next_url})
        login_url = f"{resolve_url(settings.SIGNUP_URL)}?{query}"
    if request.htmx:
        return HttpResponseClientRedirect(login_url)
    return redirect(login_url)


@require_POST
def topic_state_update(request, topic):
    topic = topic_row(topic)
    if topic is None:
        raise Http404("No such topic.")
    form = TopicStateForm(request.POST)
    if not request.user.is_authenticated:
        intent = f"topic:{topic.slug}:{form.cleaned_data['state']}" if form.is_valid() else ""
        return _anonymous_to_login(request, topic.get_absolute_url(), intent)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse("That is not a valid state.", status=400)
        messages.error(request, "That is not a valid state; nothing was changed.")
        return redirect(safe_next(request, topic.module.get_absolute_url()))
    tick, written, done = topic_state_tick(
        user=request.user, topic=topic, state=form.cleaned_data["state"]
    )
    if request.htmx:
        context = {
            "topic": learner_marks(request.user, [topic], written=written, done=done)[0],
            "tick": tick,
            "next_url": safe_next(request, topic.module.get_absolute_url()),
            **summary_context(request.user, topic.module, done),
        }
        return render(request, "learning/module_detail.html#tick-response", context)
    if tick.changed:
        messages.success(request, tick.message, extra_tags=tick.undo_tag)
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


# Portfolio


def _owned_project(request, pk):
    return get_object_or_404(PortfolioProject.objects.for_user(request.user), pk=pk)


@login_required
@require_safe
def portfolio_list(request):
    page = stored_page("portfolio", *page_versions(request.user))
    context = {"page": page, "nav": "portfolio"}
    if not page.stored:
        context["projects"] = list(
            PortfolioProject.objects.for_user(request.user)
            .select_related("idea")
            .prefetch_related("modules")
        )
    return render(request, "learning/portfolio_list.html", context)


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
