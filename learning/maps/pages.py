"""What a map page shows: the nodes with a learner's states and marks, the steps, the key,
the chosen topic's state buttons, and a state set from the map."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

from common.cache import page_versions
from common.fragments import stored_page
from learning.maps.layout import NODE_WIDTH, MapLayout, MapNode
from learning.maps.module import MapTopic
from learning.models import TopicState
from learning.progress import FRESHLY_VERIFIED, LearnerDone
from learning.querysets import COMPLETE_STATES

MODULE_COLOURS = 10  # --map-module-0 … --map-module-9 in static/css/app.css
STATE_MARKS = {
    "not_started": "",
    "learning": "◐ Learning",
    "done": "✓ Done",
    "skipped": "✓ Known",
}
KIND_LABELS = {
    "core": "core module",
    "groundwork": "groundwork",
    "recommended": "recommended, optional",
    "": "",
}


@dataclass
class NodeView:
    topic: MapTopic
    node: MapNode
    state: str
    is_next: bool
    colour: int
    step: int
    verified: bool = False  # complete and backed by a passed check, not gone stale

    @property
    def mark(self) -> str:
        mark = STATE_MARKS[self.state]
        return f"{mark}, verified" if mark and self.verified else mark

    @property
    def state_label(self) -> str:
        return TopicState.State(self.state).label

    @property
    def meta(self) -> str:
        parts = [f"{self.topic.hours} h"]
        if self.mark:
            parts.append(self.mark)
        if self.is_next:
            parts.append("→ Next up")
        return " · ".join(parts)

    def label(self, signed_in: bool) -> str:
        """The node's accessible name: what it shows, in the same order (title, then the
        hours and marks), then what its colours and border say."""
        parts = [f"{self.topic.title} {self.meta if signed_in else f'{self.topic.hours} h'}"]
        parts.append(self.topic.module_title)
        if KIND_LABELS[self.topic.kind]:
            parts.append(KIND_LABELS[self.topic.kind])
        if signed_in and self.state == "not_started":
            parts.append("not started")
        return ", ".join(parts)

    @property
    def label_signed_in(self) -> str:
        return self.label(signed_in=True)

    @property
    def label_visitor(self) -> str:
        return self.label(signed_in=False)

    @property
    def width(self) -> int:
        return NODE_WIDTH

    @property
    def text_x(self) -> int:
        return self.node.x + 14

    @property
    def meta_y(self) -> int:
        return self.node.y + self.node.height - 10

    @property
    def title_y(self) -> int:
        return self.node.y + 20


def module_colours(topics: Iterable[MapTopic]) -> dict[int, int]:
    """A colour for each module, in the order its first topic appears."""
    colours: dict[int, int] = {}
    for topic in topics:
        colours.setdefault(topic.module_id, len(colours) % MODULE_COLOURS)
    return colours


def map_nodes(
    topics, layout: MapLayout, states: Mapping[int, str], next_ids, verified=()
) -> list[NodeView]:
    """The map's nodes in learning order (the keyboard's order), each with the learner's
    state (`not_started` for a visitor) and whether it is verified."""
    colours = module_colours(topics)
    step = {pk: at + 1 for at, layer in enumerate(layout.layers) for pk in layer}
    return [
        NodeView(
            topic=topic,
            node=layout.nodes[topic.pk],
            state=states.get(topic.pk, "not_started"),
            is_next=topic.pk in next_ids,
            colour=colours[topic.module_id],
            step=step[topic.pk],
            verified=topic.pk in verified,
        )
        for topic in topics
    ]


def map_steps(nodes: list[NodeView]) -> list[list[NodeView]]:
    """The nodes by layer: step 1 first (nothing before it), each step needing only
    topics of earlier steps."""
    steps: dict[int, list[NodeView]] = {}
    for node in nodes:
        steps.setdefault(node.step, []).append(node)
    return [steps[at] for at in sorted(steps)]


def map_legend(topics) -> list[tuple[int, str]]:
    """(colour, module title) for each module on the map, in order of appearance."""
    seen: dict[int, tuple[int, str]] = {}
    colours = module_colours(topics)
    for topic in topics:
        seen.setdefault(topic.module_id, (colours[topic.module_id], topic.module_title))
    return list(seen.values())


def learner_states(user):
    """The learner's state of every topic they have one for, and their complete topics
    as `done_by_module` gives them (one query over their states; none for a visitor)."""
    if not user.is_authenticated:
        return {}, LearnerDone({})
    states: dict[int, str] = {}
    complete: dict[int, bool] = {}
    # No join to leave out archived topics: a map draws only active ones, and LearnerDone
    # counts only active ones (as in done_by_module).
    rows = (
        TopicState.objects.for_user(user)
        .annotate(fresh=ExpressionWrapper(FRESHLY_VERIFIED, output_field=BooleanField()))
        .values_list("topic_id", "state", "fresh")
    )
    for topic_id, state, fresh in rows:
        states[topic_id] = state
        if state in COMPLETE_STATES:
            complete[topic_id] = fresh
    return states, LearnerDone(complete)


# Pages


def learner_map(user, topics, layout: MapLayout, topic_slug: str, next_for):
    """What changes on a map with the learner: the nodes with their states, the steps,
    the key and the chosen topic's panel, and the learner's complete topics
    (`next_for(done)` gives the next-up ids; one query over their states, none for a
    visitor). Returns (context, done)."""
    states, done = learner_states(user)
    nodes = map_nodes(
        topics,
        layout,
        states,
        set(next_for(done)) if user.is_authenticated else set(),
        verified={pk for pk, fresh in done.topics.items() if fresh},
    )
    context = {
        "nodes": nodes,
        "steps": map_steps(nodes),
        "legend": map_legend(topics),
        "panel": map_panel(user, nodes, topic_slug),
    }
    return context, done


def map_page(request, *, static: dict, learner_context, stored_as: tuple, template: str):
    """The flow of a map page, a role's or a module's. A POST sets a topic's state and
    answers, for htmx, with the map redrawn; an htmx GET with `?topic=<slug>` answers
    with that topic's state buttons; any other GET is the whole page, stored per learner
    and content version under `stored_as` (a name and the ids it shows).
    `learner_context(topic_slug)` reads what changes with the learner; `static` is the
    rest (content alone)."""
    if request.method == "POST":
        tick = map_state_post(request, static["map_url"])
        if isinstance(tick, HttpResponse):
            return tick
        context = {**static, **learner_context(tick.topic.slug), "tick": tick}
        return render(request, "learning/_map_tick.html", context)
    topic_slug = request.GET.get("topic", "")
    context = dict(static)
    if request.htmx and topic_slug:
        context |= learner_context(topic_slug)
        return render(request, "learning/_map_panel.html", context)
    name, *ids = stored_as
    page = stored_page(name, *page_versions(request.user), *ids, request.get_full_path())
    context["page"] = page
    if not page.stored:
        context |= learner_context(topic_slug)
    return render(request, template, context)


def map_panel(user, nodes: list[NodeView], topic_slug: str) -> NodeView | None:
    """The chosen node, whose state buttons open beside the map."""
    if not topic_slug:
        return None
    return next((node for node in nodes if node.topic.slug == topic_slug), None)


def map_state_post(request, map_url: str):
    """A state set from a map (`topic`, `state` posted): the `Tick`, or the response that
    ends the request (a visitor to sign in, a bad state refused)."""
    from django.contrib import messages
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404
    from django.shortcuts import redirect

    from learning.forms import TopicStateForm
    from learning.progress import topic_row
    from learning.services import topic_state_tick

    topic = topic_row(request.POST.get("topic", ""))
    if topic is None:
        raise Http404("No such topic.")
    if not request.user.is_authenticated:
        login_url = redirect_to_login(f"{map_url}?topic={topic.slug}").url
        if request.htmx:
            return HttpResponseClientRedirect(login_url)
        return redirect(login_url)
    form = TopicStateForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse("That is not a valid state.", status=400)
        messages.error(request, "That is not a valid state; nothing was changed.")
        return redirect(map_url)
    tick, _written, _done = topic_state_tick(
        user=request.user, topic=topic, state=form.cleaned_data["state"]
    )
    if request.htmx:
        return tick
    if tick.changed:
        messages.success(request, tick.message)
    return redirect(f"{map_url}?topic={topic.slug}#map-panel")
