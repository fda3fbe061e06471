"""The map of a role's path (careers/maps.py): the view, and its reads."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from careers.catalogue import catalogue
from careers.maps import role_map
from careers.readiness import (
    next_up_ids,
    role_progress,
)
from careers.views import role_head
from common.cache import page_versions
from common.fragments import stored_page
from learning.maps import (
    learner_states,
    map_legend,
    map_nodes,
    map_panel,
    map_state_post,
    map_steps,
)


def role_map_context(request, role, drawn, topic_slug) -> dict:
    """The map's nodes with the learner's states, its steps, the learner's figures over
    the path and, when a topic is chosen, its state buttons (one query over the learner's
    states; none for a visitor)."""
    states, done = learner_states(request.user)
    path = drawn.path
    nodes = map_nodes(
        path.topics,
        drawn.layout,
        states,
        set(next_up_ids(path, done)) if request.user.is_authenticated else set(),
        verified={pk for pk, fresh in done.topics.items() if fresh},
    )
    return {
        "nodes": nodes,
        "steps": map_steps(nodes),
        "legend": map_legend(path.topics),
        "progress": role_progress(request.user, role, done)
        if request.user.is_authenticated
        else None,
        "panel": map_panel(request.user, nodes, topic_slug),
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def role_map_view(request, slug):
    """The map of the role's path; with `?topic=<slug>` that topic's state buttons open
    beside it (for htmx, only them). A POST sets a topic's state (`topic`, `state`) and
    answers, for htmx, with the map body redrawn."""
    head = role_head(slug)
    if head is None:
        raise Http404("No such role.")
    role = catalogue().roles[head["pk"]]
    map_url = reverse("careers:role-map", args=[slug])
    drawn = role_map(role)
    if request.method == "POST":
        tick = map_state_post(request, map_url)
        if isinstance(tick, HttpResponse):
            return tick
        context = {
            **_role_map_static(head, role, drawn, map_url),
            **role_map_context(request, role, drawn, tick.topic.slug),
            "tick": tick,
        }
        return render(request, "learning/_map_tick.html", context)
    topic_slug = request.GET.get("topic", "")
    context = _role_map_static(head, role, drawn, map_url)
    if request.htmx and topic_slug:
        context |= role_map_context(request, role, drawn, topic_slug)
        return render(request, "learning/_map_panel.html", context)
    page = stored_page(
        "role-map", *page_versions(request.user), head["pk"], request.get_full_path()
    )
    context["page"] = page
    if not page.stored:
        context |= role_map_context(request, role, drawn, topic_slug)
    return render(request, "careers/role_map.html", context)


def _role_map_static(head, role, drawn, map_url) -> dict:
    return {
        "head": head,
        "role": role,
        "path": drawn.path,
        "layout": drawn.layout,
        "map_url": map_url,
        "map_title": f"Map of the path to {head['title']}",
        "figures_template": "careers/_role_map_figures.html",
        "show_kinds": True,
        "nav": "roles",
    }
