"""Exporting: the database's content (not archived) written back as a pack, in the layout
and key order that `load` reads, so exporting twice writes identical bytes and loading an
export changes nothing."""

import re
from collections import defaultdict
from pathlib import Path

import yaml

from careers.content_pack.fast_yaml import gc_paused
from careers.content_pack.read import (
    MODULES_DIR,
    PROJECTS_FILE,
    QUESTIONS_DIR,
    ROLES_FILE,
)
from careers.content_pack.schema import (
    IMPORTANCES,
    MODULE_FIELDS,
    PROJECT_FIELDS,
    ROLE_FIELDS,
    ROLE_MORE_FIELDS,
    TOPIC_FIELDS,
    values_of,
)
from careers.models import Responsibility, Role, RoleRequirement
from learning.models import Module, ProjectIdea, Question, Resource, Topic

# Values are written whole, one line each (no folding at a width): the same bytes whichever
# emitter writes them, and a changed sentence is a one-line diff.
_WIDTH = 1_000_000


class _PackDumper(yaml.SafeDumper):
    """Safe YAML with lists indented under their key, as people write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _str_represent(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _str_represent)

_CDumper = getattr(yaml, "CSafeDumper", None)
if _CDumper is not None:

    class _PackCDumper(_CDumper):
        """libyaml's emitter (about ten times faster): it writes a list under a key at the
        key's own column; `_lists_indent` moves each such list two columns in."""

    _PackCDumper.add_representer(str, _str_represent)


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?= |$)")


class _Unexpected(Exception):
    """A line `_lists_indent` does not know how to place: the slow emitter writes the file."""


def _lists_indent(text: str) -> str:
    """libyaml's block YAML with every list under a mapping key indented two columns more,
    as `_PackDumper` writes it. Knows the shapes a pack has: mappings with plain keys, lists,
    and scalars (block scalars and quoted ones may run over several lines)."""
    out = []
    lists: list[int] = []  # the column of each open list written at its key's column
    scalar_column = None  # lines deeper than this continue the scalar begun above
    key_column = None  # the column of a key whose value starts on the next line
    for line in text.split("\n"):
        body = line.lstrip(" ")
        if not body:
            out.append(line)
            continue
        column = len(line) - len(body)
        if scalar_column is not None and column > scalar_column:
            out.append("  " * len(lists) + line)
            continue
        scalar_column = None
        item = body.startswith("- ") or body == "-"
        while lists and (lists[-1] > column or (lists[-1] == column and not item)):
            lists.pop()
        if item and key_column == column and (not lists or lists[-1] != column):
            lists.append(column)
        key_column = None
        out.append("  " * len(lists) + line)
        rest, at = (body[2:], column + 2) if item else (body, column)
        key = _KEY.match(rest)
        if key:
            if rest[key.end() :]:
                scalar_column = at
            else:
                key_column = at
        elif item and rest:
            if rest.startswith("- ") or rest == "-":
                raise _Unexpected(line)
            scalar_column = column
        elif not item:
            raise _Unexpected(line)
    return "\n".join(out)


def _yaml_dump(data) -> str:
    options = {"sort_keys": False, "allow_unicode": True, "width": _WIDTH}
    if _CDumper is not None:
        text = yaml.dump(data, Dumper=_PackCDumper, **options)
        # libyaml escapes some characters the Python emitter writes as they are (those
        # outside the Basic Multilingual Plane): a file with an escape is written slowly.
        if "\\" not in text:
            try:
                return _lists_indent(text)
            except _Unexpected:
                pass
    return yaml.dump(data, Dumper=_PackDumper, **options)


def content_pack_export(*, path) -> list[Path]:
    """Write the database's content that is not archived as a pack at `path`.

    Writes roles.yaml, projects.yaml, modules/NN-<slug>.yaml (NN the module's position)
    and questions/<module-slug>.yaml for each module with questions, removes other
    modules/*.yaml and questions/*.yaml files, and returns the paths written.
    """
    with gc_paused():
        return _pack_write(Path(path))


def _pack_write(root: Path) -> list[Path]:
    (root / MODULES_DIR).mkdir(parents=True, exist_ok=True)
    modules = list(Module.objects.active().order_by("order", "title", "slug"))
    module_slugs = {module.pk: module.slug for module in modules}
    module_rank = {module.pk: index for index, module in enumerate(modules)}

    topics = list(
        Topic.objects.filter(is_archived=False, module_id__in=module_slugs).order_by("order", "id")
    )
    topic_slugs = {topic.pk: topic.slug for topic in topics}
    topic_rank = {
        topic.pk: index
        for index, topic in enumerate(
            sorted(topics, key=lambda t: (module_rank[t.module_id], t.order, t.pk))
        )
    }
    prerequisites = _links(
        (Topic.prerequisites.through, "from_topic_id", "to_topic_id"),
        topic_slugs,
        topic_slugs,
        topic_rank,
    )
    resources: dict[int, list[dict]] = defaultdict(list)
    active_resources = Resource.objects.filter(
        topic__is_archived=False, topic__module__is_archived=False
    ).order_by("topic_id", "order", "id")
    for resource in active_resources.iterator():
        resources[resource.topic_id].append(
            {
                "title": resource.title,
                "url": resource.url,
                "kind": resource.kind,
                "free": resource.is_free,
            }
        )
    topics_by_module: dict[int, list[dict]] = defaultdict(list)
    for topic in topics:
        topics_by_module[topic.module_id].append(
            {
                "slug": topic.slug,
                **values_of(topic, TOPIC_FIELDS),
                "prerequisites": prerequisites.get(topic.pk, []),
                "resources": resources.get(topic.pk, []),
            }
        )

    written = [root / ROLES_FILE, root / PROJECTS_FILE]
    roles = _roles_export(module_slugs, module_rank)
    written[0].write_text(_yaml_dump({"roles": roles}), encoding="utf-8")
    projects = _projects_export(module_slugs, module_rank)
    written[1].write_text(_yaml_dump({"projects": projects}), encoding="utf-8")
    width = max(2, len(str(len(modules))))
    for position, module in enumerate(modules, start=1):
        module_path = root / MODULES_DIR / f"{position:0{width}d}-{module.slug}.yaml"
        data = {
            "slug": module.slug,
            **values_of(module, MODULE_FIELDS),
            "topics": topics_by_module.get(module.pk, []),
        }
        module_path.write_text(_yaml_dump(data), encoding="utf-8")
        written.append(module_path)
    written.extend(_questions_export(root, modules, topic_slugs))
    for stale in [*(root / MODULES_DIR).glob("*.yaml"), *(root / QUESTIONS_DIR).glob("*.yaml")]:
        if stale not in written:
            stale.unlink()
    return written


def _questions_export(root: Path, modules: list[Module], topic_slugs: dict[int, str]):
    """questions/<module-slug>.yaml for each module with active questions."""
    module_of = dict(Topic.objects.filter(pk__in=topic_slugs).values_list("pk", "module_id"))
    by_module: dict[int, list[dict]] = defaultdict(list)
    questions = Question.objects.filter(is_archived=False, topic_id__in=topic_slugs).order_by(
        "order", "id"
    )
    for question in questions.iterator():
        entry = {
            "slug": question.slug,
            "topic": topic_slugs[question.topic_id],
            "prompt": question.prompt,
            "options": [
                {"text": option["text"], "correct": True}
                if option.get("correct")
                else {"text": option["text"]}
                for option in question.options
            ],
            "explanation": question.explanation,
        }
        if question.resource_url:
            entry["resource"] = question.resource_url
        by_module[module_of[question.topic_id]].append(entry)
    written = []
    if by_module:
        (root / QUESTIONS_DIR).mkdir(parents=True, exist_ok=True)
    for module in modules:
        if module.pk in by_module:
            path = root / QUESTIONS_DIR / f"{module.slug}.yaml"
            data = {"module": module.slug, "questions": by_module[module.pk]}
            path.write_text(_yaml_dump(data), encoding="utf-8")
            written.append(path)
    return written


def _links(table, owners: dict[int, str], targets: dict[int, str], rank: dict[int, int]):
    """Owner id -> slugs of its targets in an M2M `table` (through model, owner column,
    target column), only among the given (active) owners and targets, in `rank` order."""
    through, owner, target = table
    links: dict[int, list[int]] = defaultdict(list)
    for owner_id, target_id in through.objects.values_list(owner, target).iterator():
        if owner_id in owners and target_id in targets:
            links[owner_id].append(target_id)
    return {
        owner_id: [targets[pk] for pk in sorted(pks, key=rank.__getitem__)]
        for owner_id, pks in links.items()
    }


def _roles_export(module_slugs, module_rank) -> list[dict]:
    roles = list(Role.objects.active().order_by("order", "title", "slug"))
    role_slugs = {role.pk: role.slug for role in roles}
    role_rank = {role.pk: index for index, role in enumerate(roles)}
    leads_to = _links(
        (Role.leads_to.through, "from_role_id", "to_role_id"), role_slugs, role_slugs, role_rank
    )
    responsibilities = defaultdict(list)
    for role_id, text in Responsibility.objects.filter(role__is_archived=False).values_list(
        "role_id", "text"
    ):
        responsibilities[role_id].append(text)
    requirements = defaultdict(lambda: {importance: [] for importance in IMPORTANCES})
    rows = RoleRequirement.objects.filter(role__is_archived=False, module__is_archived=False)
    for role_id, module_id, importance in sorted(
        rows.values_list("role_id", "module_id", "importance"),
        key=lambda row: module_rank[row[1]],
    ):
        requirements[role_id][importance].append(module_slugs[module_id])
    return [
        {
            "slug": role.slug,
            **values_of(role, ROLE_FIELDS),
            "responsibilities": responsibilities.get(role.pk, []),
            **values_of(role, ROLE_MORE_FIELDS),
            "leads_to": leads_to.get(role.pk, []),
            "requirements": requirements[role.pk],
        }
        for role in roles
    ]


def _projects_export(module_slugs, module_rank) -> list[dict]:
    roles = list(Role.objects.active().order_by("order", "title", "slug"))
    role_slugs = {role.pk: role.slug for role in roles}
    role_rank = {role.pk: index for index, role in enumerate(roles)}
    projects = list(ProjectIdea.objects.active().order_by("order", "title", "slug"))
    project_slugs = {project.pk: project.slug for project in projects}
    modules = _links(
        (ProjectIdea.modules.through, "projectidea_id", "module_id"),
        project_slugs,
        module_slugs,
        module_rank,
    )
    project_roles = _links(  # the idea-role table, whichever model declares it
        (ProjectIdea.roles.through, "projectidea_id", "role_id"),
        project_slugs,
        role_slugs,
        role_rank,
    )
    return [
        {
            "slug": project.slug,
            **values_of(project, PROJECT_FIELDS),
            "modules": modules.get(project.pk, []),
            "roles": project_roles.get(project.pk, []),
        }
        for project in projects
    ]
