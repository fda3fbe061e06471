from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from careers.filters import RoleFilterForm
from careers.models import Role
from learning.cache import content_cached
from learning.fragments import lazy_context
from learning.models import Module, ProjectIdea, Topic
from learning.progress import readiness_by_role, role_progress


@require_safe
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


@require_safe
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


@require_safe
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
