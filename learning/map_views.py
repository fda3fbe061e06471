"""The map of one module's topics (learning/maps/), like a role's map
(careers/map_views.py); the flow both share is learning.maps.map_page."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from learning.graph import next_steps
from learning.maps import learner_map, map_page, module_map
from learning.progress import module_progress
from learning.views import module_or_moved


def module_map_context(request, module, drawn, topic_slug) -> dict:
    """The module map's nodes with the learner's states, its steps, their figures on the
    module and the chosen topic (one query over the learner's states; none for a
    visitor)."""
    order = [t.pk for t in drawn.topics]
    context, done = learner_map(
        request.user,
        drawn.topics,
        drawn.layout,
        topic_slug,
        lambda done: next_steps(order, drawn.prerequisites, done.topics),
    )
    context["module_progress"] = (
        module_progress(module.pk, done) if request.user.is_authenticated else None
    )
    return context


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def module_map_view(request, module):
    """The map of one module's topics; like the role's map (careers/map_views.py)."""
    module = module_or_moved(module, "learning:module-map")
    if isinstance(module, HttpResponse):
        return module
    drawn = module_map(module)
    static = {
        "module": module,
        "layout": drawn.layout,
        "map_url": reverse("learning:module-map", args=[module.slug]),
        "map_title": f"Map of the module {module.title}",
        "figures_template": "learning/_module_map_figures.html",
        "show_kinds": False,
        "nav": "learn",
    }
    return map_page(
        request,
        static=static,
        learner_context=lambda topic_slug: module_map_context(request, module, drawn, topic_slug),
        stored_as=("module-map", module.pk),
        template="learning/module_map.html",
    )
