"""The map of a role's path (careers/maps.py): the view, and its reads. The flow it shares
with a module's map is learning.maps.map_page."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from careers.catalogue import catalogue
from careers.maps import role_map
from careers.readiness import next_up_ids, role_progress
from careers.views import role_head
from learning.maps import learner_map, map_page


def role_map_context(request, role, drawn, topic_slug) -> dict:
    """The map's nodes with the learner's states, its steps, the learner's figures over
    the path and, when a topic is chosen, its state buttons (one query over the learner's
    states; none for a visitor)."""
    path = drawn.path
    context, done = learner_map(
        request.user, path.topics, drawn.layout, topic_slug, lambda done: next_up_ids(path, done)
    )
    context["progress"] = (
        role_progress(request.user, role, done) if request.user.is_authenticated else None
    )
    return context


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
    drawn = role_map(role)
    static = {
        "head": head,
        "role": role,
        "path": drawn.path,
        "layout": drawn.layout,
        "map_url": reverse("careers:role-map", args=[slug]),
        "map_title": f"Map of the path to {head['title']}",
        "figures_template": "careers/_role_map_figures.html",
        "show_kinds": True,
        "nav": "roles",
    }
    return map_page(
        request,
        static=static,
        learner_context=lambda topic_slug: role_map_context(request, role, drawn, topic_slug),
        stored_as=("role-map", head["pk"]),
        template="careers/role_map.html",
    )
