"""The prerequisite graph: cycles, everything a topic needs first, and paths that leave a set
of modules. Graphs are plain mappings `topic -> [its prerequisites]` (slugs or ids), so the
content pack (before anything is written) and the admin (reading the database) share them.

Searches are iterative, so a chain of thousands of topics cannot hit the recursion limit."""

import heapq
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

Graph = Mapping[Hashable, Iterable[Hashable]]


def cycles(graph: Graph) -> list[list]:
    """Each cycle as a path that ends where it starts; every edge closing one is reported once.
    The search starts from the graph's first key, so a cycle through it starts with it."""
    visiting, done = 1, 2
    marks: dict = {}
    found = []
    for start in graph:
        if start in marks:
            continue
        marks[start] = visiting
        path = [start]
        stack = [iter(graph.get(start, ()))]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                marks[path.pop()] = done
                stack.pop()
            elif marks.get(node) == visiting:
                found.append([*path[path.index(node) :], node])
            elif node not in marks:
                marks[node] = visiting
                path.append(node)
                stack.append(iter(graph.get(node, ())))
    return found


def with_prerequisites(graph: Graph, topics: Iterable) -> set:
    """`topics` and everything they need first, transitively."""
    seen = set(topics)
    queue = deque(seen)
    while queue:
        for prerequisite in graph.get(queue.popleft(), ()):
            if prerequisite not in seen:
                seen.add(prerequisite)
                queue.append(prerequisite)
    return seen


def leaks(graph: Graph, module_of: Mapping, *, start: Iterable, listed: set) -> dict:
    """Prerequisite chains from the `start` topics into modules outside `listed`: for each
    such module, the shortest chain (a list of topics, from a start topic to the first topic
    of that module reached)."""
    parents = dict.fromkeys(start)
    queue = deque(parents)
    found: dict = {}
    while queue:
        topic = queue.popleft()
        module = module_of.get(topic)
        if module is not None and module not in listed and module not in found:
            chain = [topic]
            while parents[chain[-1]] is not None:
                chain.append(parents[chain[-1]])
            found[module] = chain[::-1]
        for prerequisite in graph.get(topic, ()):
            if prerequisite not in parents:
                parents[prerequisite] = topic
                queue.append(prerequisite)
    return found


def next_steps(order, prerequisites: Graph, complete, *, limit: int = 5, stretch=()) -> list:
    """The next topics to learn of `order` (a learning order): not in `complete`, every
    prerequisite in it. The main path before the optional `stretch`; within each, topics
    that open the way to others before those nothing in `order` needs (foundations before
    leaves such as a second programming language); then in `order`."""
    needed = {p for pk in order for p in prerequisites.get(pk, ())}
    stretch = set(stretch)
    ready = [
        (pk in stretch, pk not in needed, index, pk)
        for index, pk in enumerate(order)
        if pk not in complete and all(p in complete for p in prerequisites.get(pk, ()))
    ]
    return [pk for *_, pk in sorted(ready)[:limit]]


def learning_order(topics: Sequence, prerequisites: Graph, key: Callable | None = None) -> list:
    """`topics` with each after its prerequisites among them, and otherwise in `key`
    order (by default the given order): a topological sort that always takes the ready
    topic with the smallest key. Topics on a cycle (the loader refuses them) come last,
    in key order, rather than be lost."""
    if key is None:
        position = {pk: index for index, pk in enumerate(topics)}
        key = position.__getitem__
    members = set(topics)
    waiting = {pk: sum(1 for p in prerequisites.get(pk, ()) if p in members) for pk in topics}
    needed_by: dict = {pk: [] for pk in topics}
    for pk in topics:
        for prerequisite in prerequisites.get(pk, ()):
            if prerequisite in members:
                needed_by[prerequisite].append(pk)
    ready = [(key(pk), pk) for pk, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        pk = heapq.heappop(ready)[1]
        order.append(pk)
        for dependant in needed_by[pk]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                heapq.heappush(ready, (key(dependant), dependant))
    if len(order) < len(topics):
        placed = set(order)
        order += sorted((pk for pk in topics if pk not in placed), key=key)
    return order
