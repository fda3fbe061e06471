"""Maps of topics: a set of topics and their prerequisites drawn as a layered graph, read
from top to bottom (what a topic needs sits above it). The drawing knows no role: a role's
map (careers/maps.py) and a module's map hand it topics in learning order.

layout.py draws (how, in its docstring), module.py holds a module's map, pages.py what a
map page shows and the flow both map pages share.
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
    learner_map,
    learner_states,
    map_legend,
    map_nodes,
    map_page,
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
    "learner_map",
    "learner_states",
    "map_legend",
    "map_nodes",
    "map_page",
    "map_panel",
    "map_state_post",
    "map_steps",
    "module_map",
    "transitive_reduction",
    "wrap_title",
]
