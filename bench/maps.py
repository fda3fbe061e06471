"""Figures of the role maps (issue 15): for every role of a content pack, the path's size,
the layout's time, edge crossings, width and height, and the size of the drawn SVG.

    python -m bench.maps [content|bench]   (default: both)

Reads the pack's YAML and builds the paths with careers/path.py's own builder, so it needs
no database; `bench` writes the synthetic bench pack (bench/pack.py) to a temporary folder
first. The SVG is the map template a visitor gets, rendered alone.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def pack_paths(folder: Path) -> dict[str, object]:
    """{role slug: RolePath} for the pack in `folder`."""
    from careers.path import _path_build

    topics, prerequisites, by_module, module_ids, slug_ids = {}, {}, {}, {}, {}
    files = sorted((folder / "modules").glob("*.yaml"))
    modules = [yaml.load(file.read_text(), Loader=_Loader) for file in files]
    for module_id, module in enumerate(modules, start=1):
        module_ids[module["slug"]] = (module_id, module.get("order", module_id))
        for order, topic in enumerate(module.get("topics", [])):
            pk = len(slug_ids) + 1
            slug_ids[topic["slug"]] = pk
            topics[pk] = (
                pk,
                topic["slug"],
                topic["title"],
                topic.get("hours", 1),
                module_id,
                module["slug"],
                module["title"],
                module.get("order", module_id),
                topic.get("order", order),
            )
            by_module.setdefault(module_id, []).append(pk)
    for module in modules:
        for topic in module.get("topics", []):
            prerequisites[slug_ids[topic["slug"]]] = [
                slug_ids[slug] for slug in topic.get("prerequisites", []) if slug in slug_ids
            ]
    roles = yaml.load((folder / "roles.yaml").read_text(), Loader=_Loader)["roles"]
    paths = {}
    for role_id, role in enumerate(roles, start=1):
        wanted = [
            (module_ids[slug][0], importance, module_ids[slug][1])
            for importance, slugs in (role.get("requirements") or {}).items()
            for slug in slugs
            if slug in module_ids
        ]
        paths[role["slug"]] = _path_build(role_id, wanted, topics, prerequisites, by_module)
    return paths


def svg_size(path, layout) -> int:
    """Bytes of the map's SVG as a visitor gets it."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from learning.maps import map_legend, map_nodes, map_steps

    nodes = map_nodes(path.topics, layout, {}, set())
    html = render_to_string(
        "learning/_map.html",
        {
            "layout": layout,
            "nodes": nodes,
            "steps": map_steps(nodes),
            "legend": map_legend(path.topics),
            "map_title": "Map",
            "map_url": "/roles/x/map/",
            "show_kinds": True,
            "user": AnonymousUser(),
        },
    )
    start = html.index("<svg")
    return len(html[start : html.index("</svg>", start) + 6].encode())


def measure(name: str, folder: Path) -> list[dict]:
    from learning.maps import layout_build

    rows = []
    for slug, path in pack_paths(folder).items():
        if not path.topics:
            continue
        started = time.perf_counter()
        layout = layout_build(
            [t.pk for t in path.topics], {t.pk: t.title for t in path.topics}, path.prerequisites
        )
        seconds = time.perf_counter() - started
        rows.append(
            {
                "pack": name,
                "role": slug,
                "topics": len(path.topics),
                "edges": len(layout.edges),
                "left_out": layout.edges_left_out,
                "layers": len(layout.layers),
                "layout_s": round(seconds, 3),
                "crossings": layout.crossings,
                "width": layout.width,
                "height": layout.height,
                "svg_kb": round(svg_size(path, layout) / 1024, 1),
            }
        )
    return rows


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    which = argv or ["content", "bench"]
    rows = []
    if "content" in which:
        rows += measure("content", BASE_DIR / "content")
    if "bench" in which:
        from bench.pack import pack_write

        with tempfile.TemporaryDirectory() as folder:
            pack_write(Path(folder))
            rows += measure("bench", Path(folder))
    columns = list(rows[0]) if rows else []
    print("\t".join(columns))
    for row in sorted(rows, key=lambda r: (r["pack"], -r["topics"])):
        print("\t".join(str(row[c]) for c in columns))
    for pack in sorted({r["pack"] for r in rows}):
        largest = max((r for r in rows if r["pack"] == pack), key=lambda r: r["topics"])
        print(f"{pack}: largest path {largest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
