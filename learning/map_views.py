"""The map of one module's topics (learning/maps/), like a role's map (careers/map_views.py)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from common.cache import content_cached, page_versions
from common.fragments import stored_page
from learning.graph import next_steps
from learning.maps import (
    learner_states,
    map_legend,
    map_nodes,
    map_panel,
    map_state_post,
    map_steps,
    module_map,
)
from learning.models import (
    Module,
)
from learning.progress import (
    NOTHING_DONE,
    module_totals,
    percent,
)


def module_map_context(request, module, drawn, topic_slug) -> dict:
    """The module map's nodes with the learner's states, its steps, their figures on the
    module and the chosen topic (one query over the learner's states; none for a
    visitor)."""
    states, done = learner_states(request.user)
    nodes = map_nodes(
        drawn.topics,
        drawn.layout,
        states,
        set(next_steps([t.pk for t in drawn.topics], drawn.prerequisites, done.topics))
        if request.user.is_authenticated
        else set(),
        verified={pk for pk, fresh in done.topics.items() if fresh},
    )
    total_hours, topic_count = module_totals().get(module.pk, (0, 0))
    done_here = done.get(module.pk, NOTHING_DONE)
    return {
        "nodes": nodes,
        "steps": map_steps(nodes),
        "legend": map_legend(drawn.topics),
        "module_progress": {
            "total_hours": total_hours,
            "done_hours": done_here.hours,
            "topic_count": topic_count,
            "done_count": done_here.topics,
            "percent": percent(done_here.hours, total_hours),
        }
        if request.user.is_authenticated
        else None,
        "panel": map_panel(request.user, nodes, topic_slug),
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def module_map_view(request, module):
    """The map of one module's topics; like the role's map (careers/views.py)."""
    slug = module
    module = content_cached(
        f"module:{slug}", lambda: Module.objects.active().filter(slug=slug).first()
    )
    if module is None:
        moved = Module.objects.active().filter(redirects__old_slug=slug).first()
        if moved:
            return redirect("learning:module-map", module=moved.slug, permanent=True)
        raise Http404("No such module.")
    map_url = reverse("learning:module-map", args=[module.slug])
    drawn = module_map(module)
    static = {
        "module": module,
        "layout": drawn.layout,
        "map_url": map_url,
        "map_title": f"Map of the module {module.title}",
        "figures_template": "learning/_module_map_figures.html",
        "show_kinds": False,
        "nav": "learn",
    }
    if request.method == "POST":
        tick = map_state_post(request, map_url)
        if isinstance(tick, HttpResponse):
            return tick
        context = {
            **static,
            **module_map_context(request, module, drawn, tick.topic.slug),
            "tick": tick,
        }
        return render(request, "learning/_map_tick.html", context)
    topic_slug = request.GET.get("topic", "")
    context = static
    if request.htmx and topic_slug:
        context |= module_map_context(request, module, drawn, topic_slug)
        return render(request, "learning/_map_panel.html", context)
    page = stored_page(
        "module-map", *page_versions(request.user), module.pk, request.get_full_path()
    )
    context["page"] = page
    if not page.stored:
        context |= module_map_context(request, module, drawn, topic_slug)
    return render(request, "learning/module_map.html", context)
