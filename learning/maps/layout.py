"""The drawing of a map of topics: topics and their prerequisites as a layered graph,
read from top to bottom (what a topic needs sits above it).

The drawing knows no role: a role's map (careers/maps.py) and a module's map (below) hand
it topics in learning order with their prerequisites. The layers come from the learning
order, at most `MAX_PER_LAYER` topics side by side, each topic below everything it needs;
igraph's Sugiyama layout orders each layer to cross few edges and routes long edges
between the topics. Edges implied by others are left out of the drawing (transitive
reduction); the topic page lists them all. A layout depends on content alone, so it is
computed once per content version and kept (see `module_map`, `careers.maps.role_map`).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Drawing units are CSS pixels: the SVG is shown at its natural size.
NODE_WIDTH = 206
LINE_HEIGHT = 16
NODE_PADDING = 30  # above the title and below it, where the hours and marks go
NODE_HEIGHT = NODE_PADDING + 2 * LINE_HEIGHT  # a two-line title; longer ones grow the node
NODE_GAP = 20  # between two topics side by side
LANE_GAP = 10  # between a topic and an edge passing beside it, or two such edges
LAYER_GAP = 54  # between layers, where edges bend
MARGIN = 16
MAX_PER_LAYER = 6  # 6 topics side by side: about 2,000 px wide with the edges passing by
TITLE_LINE_CHARS = 21


@dataclass(frozen=True, slots=True)
class MapNode:
    pk: int
    x: int  # left
    y: int  # top
    layer: int
    lines: tuple[str, ...]  # the title wrapped, whole (the accessible name repeats it)
    height: int


@dataclass(frozen=True, slots=True)
class MapEdge:
    prerequisite: int
    topic: int
    d: str  # SVG path data, from the bottom of the prerequisite to the top of the topic


@dataclass(frozen=True)
class MapLayout:
    nodes: dict[int, MapNode]
    edges: tuple[MapEdge, ...]
    layers: tuple[tuple[int, ...], ...]  # topic ids of each layer, in learning order
    width: int
    height: int
    crossings: int  # edge crossings between neighbouring layers, as drawn
    edges_left_out: int = 0  # implied by others (transitive reduction)
    order: tuple[int, ...] = field(default=())  # every topic, in learning order

    @property
    def center_x(self):
        return {pk: node.x + NODE_WIDTH // 2 for pk, node in self.nodes.items()}


EMPTY_LAYOUT = MapLayout(nodes={}, edges=(), layers=(), width=0, height=0, crossings=0)


def wrap_title(title: str) -> tuple[str, ...]:
    """The title in lines of about `TITLE_LINE_CHARS` characters, broken between words
    and never shortened: what a node shows is also its accessible name."""
    lines: list[str] = []
    current = ""
    for word in title.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= TITLE_LINE_CHARS or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return tuple(lines)


def transitive_reduction(
    order: Sequence[int], prerequisites: Mapping[int, Iterable[int]]
) -> dict[int, tuple[int, ...]]:
    """The direct prerequisites of each topic in `order` (a topological order) that no
    other of its prerequisites already needs, transitively; prerequisites outside `order`
    are dropped."""
    index = {pk: i for i, pk in enumerate(order)}
    ancestors: dict[int, int] = {}  # a bit per topic, by its index
    reduced: dict[int, tuple[int, ...]] = {}
    for pk in order:
        direct = [p for p in dict.fromkeys(prerequisites.get(pk, ())) if p in index]
        reach = 0
        for p in direct:
            reach |= ancestors.get(p, 0)
        reduced[pk] = tuple(p for p in direct if not reach >> index[p] & 1)
        for p in direct:
            reach |= 1 << index[p]
        ancestors[pk] = reach
    return reduced


def layers_for(order: Sequence[int], prerequisites: Mapping[int, Sequence[int]]) -> list[int]:
    """A layer for each topic of `order`: below all its prerequisites, at most
    `MAX_PER_LAYER` topics a layer, filled in learning order."""
    layer: dict[int, int] = {}
    filled: list[int] = []
    for pk in order:
        at = 1 + max((layer[p] for p in prerequisites[pk] if p in layer), default=-1)
        while at < len(filled) and filled[at] >= MAX_PER_LAYER:
            at += 1
        while len(filled) <= at:
            filled.append(0)
        filled[at] += 1
        layer[pk] = at
    # Then, last first, each topic moves down to just above the first topic that needs it
    # where there is room: shorter edges, fewer crossings, the groundwork near its use.
    needed_by: dict[int, list[int]] = {pk: [] for pk in order}
    for pk in order:
        for p in prerequisites[pk]:
            if p in needed_by:
                needed_by[p].append(pk)
    for pk in reversed(order):
        if not needed_by[pk]:
            continue
        lowest = min(layer[d] for d in needed_by[pk]) - 1
        for at in range(lowest, layer[pk], -1):
            if filled[at] < MAX_PER_LAYER:
                filled[layer[pk]] -= 1
                filled[at] += 1
                layer[pk] = at
                break
    return [layer[pk] for pk in order]


def layout_build(
    order: Sequence[int], titles: Mapping[int, str], prerequisites: Mapping[int, Iterable[int]]
) -> MapLayout:
    """Lay out topics given in learning order (each after its prerequisites)."""
    import igraph

    if not order:
        return EMPTY_LAYOUT
    order = list(order)
    reduced = transitive_reduction(order, prerequisites)
    all_edges = sum(len({p for p in prerequisites.get(pk, ()) if p in reduced}) for pk in order)
    layer_of = layers_for(order, reduced)
    index = {pk: i for i, pk in enumerate(order)}
    edge_list = [(index[p], index[pk]) for pk in order for p in reduced[pk]]
    graph = igraph.Graph(n=len(order), edges=edge_list, directed=True)
    drawn, extended = graph.layout_sugiyama(
        layers=layer_of, maxiter=100, return_extended_graph=True
    )
    count = len(order)
    coords = [tuple(point) for point in drawn.coords]
    # Per edge, the points of the dummy vertices it passes (the extended graph splits an
    # edge spanning layers into a chain through them, in order).
    routing: list[list[tuple[float, float]]] = [[] for _ in edge_list]
    for (_source, target), original in zip(
        extended.get_edgelist(), extended.es["_original_eid"], strict=True
    ):
        if target >= count:
            routing[original].append(coords[target])

    # Each layer's items (topics and edges passing through) in igraph's order, placed left
    # to right: a topic takes its width, a passing edge a narrow lane.
    layer_count = max(layer_of) + 1
    items: list[list[tuple[float, str, object]]] = [[] for _ in range(layer_count)]
    for i in range(count):
        items[layer_of[i]].append((coords[i][0], "topic", i))
    passing: dict[tuple[int, int], float] = {}  # (edge, layer) -> x
    # An edge spanning layers passes each layer between as a narrow lane, ordered by
    # igraph's dummy vertex there. igraph can leave a dummy's point far out or garbled
    # (seen with wide layers): then the lane is ordered between the edge's two ends.
    lowest_x = min(x for x, _ in coords[:count])
    highest_x = max(x for x, _ in coords[:count])
    lane_layers: list[list[int]] = []
    for e, (source, target) in enumerate(edge_list):
        span = range(layer_of[source] + 1, layer_of[target])
        points = list(routing[e]) if e < len(routing) else []
        sane = len(points) == len(span) and all(
            lowest_x - 1 <= point[0] <= highest_x + 1 for point in points
        )
        lane_layers.append(list(span))
        for step, at in enumerate(span):
            if sane:
                x = points[step][0]
            else:
                share = (step + 1) / (len(span) + 1)
                x = coords[source][0] + share * (coords[target][0] - coords[source][0])
            items[at].append((x, "lane", (e, at)))
    placed_x: dict[int, float] = {}  # topic -> centre
    row_widths = []
    for row in items:
        row.sort(key=lambda item: item[0])
        cursor = 0.0
        previous_kind = None
        for _ideal, kind, key in row:
            half = NODE_WIDTH / 2 if kind == "topic" else 0
            if previous_kind is not None:
                cursor += NODE_GAP if kind == previous_kind == "topic" else LANE_GAP
            if kind == "topic":
                placed_x[key] = cursor + half
            else:
                passing[key] = cursor
            cursor += 2 * half
            previous_kind = kind
        row_widths.append(cursor)
    # Each layer centred on the widest.
    widest = max(row_widths)
    for at, row in enumerate(items):
        offset = (widest - row_widths[at]) / 2
        for _ideal, kind, key in row:
            if kind == "topic":
                placed_x[key] += offset
            else:
                passing[key] += offset
    shift = MARGIN

    # A layer is as tall as its tallest node.
    lines_of = [wrap_title(titles[pk]) for pk in order]
    heights = [NODE_PADDING + max(2, len(lines)) * LINE_HEIGHT for lines in lines_of]
    layer_height = [NODE_HEIGHT] * layer_count
    for i in range(count):
        layer_height[layer_of[i]] = max(layer_height[layer_of[i]], heights[i])
    tops = [MARGIN]
    for at in range(layer_count - 1):
        tops.append(tops[-1] + layer_height[at] + LAYER_GAP)

    def layer_top(at: int) -> int:
        return tops[at]

    nodes = {}
    for i, pk in enumerate(order):
        nodes[pk] = MapNode(
            pk=pk,
            x=round(placed_x[i] + shift - NODE_WIDTH / 2),
            y=layer_top(layer_of[i]),
            layer=layer_of[i],
            lines=lines_of[i],
            height=heights[i],
        )
    edges = []
    segments: list[list[tuple[float, float]]] = [[] for _ in range(layer_count)]
    for e, (source, target) in enumerate(edge_list):
        x = placed_x[source] + shift
        points = [(x, layer_top(layer_of[source]) + heights[source])]
        for at in lane_layers[e]:
            lane_x = passing[(e, at)] + shift
            segments[at - 1].append((points[-1][0], lane_x))
            points += [(lane_x, layer_top(at)), (lane_x, layer_top(at) + layer_height[at])]
        end_x = placed_x[target] + shift
        segments[layer_of[target] - 1].append((points[-1][0], end_x))
        points.append((end_x, layer_top(layer_of[target])))
        edges.append(MapEdge(order[source], order[target], _path_data(points)))
    width = round(widest + 2 * MARGIN)
    height = layer_top(layer_count - 1) + layer_height[-1] + MARGIN
    layers = tuple(
        tuple(pk for i, pk in enumerate(order) if layer_of[i] == at) for at in range(layer_count)
    )
    return MapLayout(
        nodes=nodes,
        edges=tuple(edges),
        layers=layers,
        width=width,
        height=height,
        crossings=sum(_crossings(row) for row in segments),
        edges_left_out=all_edges - len(edge_list),
        order=tuple(order),
    )


def _path_data(points: list[tuple[float, float]]) -> str:
    """Straight down through layers, curved across the gaps between them."""
    x, y = points[0]
    parts = [f"M{x:.0f} {y:.0f}"]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 == x1:
            parts.append(f"V{y1:.0f}")
        else:
            middle = (y0 + y1) / 2
            parts.append(f"C{x0:.0f} {middle:.0f} {x1:.0f} {middle:.0f} {x1:.0f} {y1:.0f}")
    return "".join(parts)


def _crossings(segments: list[tuple[float, float]]) -> int:
    """Pairs of segments between two neighbouring layers that cross."""
    ordered = sorted(segments)
    count = 0
    for i, (top_a, bottom_a) in enumerate(ordered):
        for top_b, bottom_b in ordered[i + 1 :]:
            if top_b > top_a and bottom_b < bottom_a:
                count += 1
    return count
