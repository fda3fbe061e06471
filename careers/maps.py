"""The map of a role's path (careers/path.py): its topics laid out as a layered graph
(learning/maps/), once per role and content version, kept per process like the paths."""

from dataclasses import dataclass

from careers.path import RolePath, role_path
from common.cache import content_kept
from learning.maps import EMPTY_LAYOUT, MapLayout, layout_build


@dataclass(frozen=True)
class RoleMap:
    path: RolePath
    layout: MapLayout


def role_map(role) -> RoleMap:
    """The role's path and its layout for the current content version: laid out on the
    first request after a content change, then read from the cache and kept per process."""
    path = role_path(role)
    return RoleMap(path=path, layout=content_kept(f"role-map:{role.pk}", lambda: _layout(path)))


def _layout(path: RolePath) -> MapLayout:
    if not path.topics:
        return EMPTY_LAYOUT
    return layout_build(
        [t.pk for t in path.topics], {t.pk: t.title for t in path.topics}, path.prerequisites
    )
