from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from careers.filters import RoleFilterForm
from careers.models import Role
from learning.models import Module, ProjectIdea, Topic
from learning.progress import readiness_by_role, role_progress


@require_GET
def home(request):
    roles = list(Role.objects.active().with_core_hours())
    stats = {
        "roles": len(roles),
        "modules": Module.objects.active().count(),
        "topics": Topic.objects.active().count(),
    }
    return render(request, "careers/home.html", {"roles": roles, "stats": stats})


@require_GET
def role_list(request):
    filters = RoleFilterForm(request.GET or None)
    roles = list(filters.filter(Role.objects.active().with_core_hours()))
    readiness = {}
    if request.user.is_authenticated and roles:
        readiness = {r.role.pk: r for r in readiness_by_role(request.user)}
    for role in roles:
        role.readiness = readiness.get(role.pk)
    return render(
        request,
        "careers/role_list.html",
        {"roles": roles, "filters": filters, "nav": "roles"},
    )


@require_GET
def role_detail(request, slug):
    role = get_object_or_404(
        Role.objects.active().prefetch_related(
            "responsibilities",
            Prefetch("leads_to", queryset=Role.objects.active()),
            Prefetch("comes_from", queryset=Role.objects.active()),
        ),
        slug=slug,
    )
    progress = role_progress(request.user, role)
    project_ideas = ProjectIdea.objects.active().filter(roles=role)
    is_target = request.user.is_authenticated and request.user.target_role_id == role.pk
    return render(
        request,
        "careers/role_detail.html",
        {
            "role": role,
            "progress": progress,
            "project_ideas": project_ideas,
            "is_target": is_target,
            "nav": "roles",
        },
    )
