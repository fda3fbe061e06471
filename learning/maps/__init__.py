"""Maps of topics: a set of topics and their prerequisites drawn as a layered graph, read
from top to bottom (what a topic needs sits above it).

The drawing knows no role: a role's map (careers/maps.py) and a module's map (below) hand
it topics in learning order with their prerequisites. The layers come from the learning
order, at most `MAX_PER_LAYER` topics side by side, each topic below everything it needs;
igraph's Sugiyama layout orders each layer to cross few edges and routes long edges
between the topics. Edges implied by others are left out of the drawing (transitive
reduction); the topic page lists them all. A layout depends on content alone, so it is
computed once per content version and kept (see `module_map`, `careers.maps.role_map`).

layout.py draws, module.py holds a module's map, pages.py what a map page shows.
"""

from learning.maps.layout import (
    EMPTY_LAYOUT,
    MapLayout,
    layout_build,
    transitive_reduction,
    wrap_title,
)
from learning.maps.module import MapTopic, ModuleMap, module_map
from learning.maps.pages import (
    NodeView,
    learner_states,
    map_legend,
    map_nodes,
    map_panel,
    map_state_post,
    map_steps,
)

__all__ = [
    "EMPTY_LAYOUT",
    "MapLayout",
    "MapTopic",
    "ModuleMap",
    "NodeView",
    "layout_build",
    "learner_states",
    "map_legend",
    "map_nodes",
    "map_panel",
    "map_state_post",
    "map_steps",
    "module_map",
    "transitive_reduction",
    "wrap_title",
]
