"""The content pack: roles, modules with their topics, and project ideas as YAML files.

A pack is a directory::

    roles.yaml          roles: [...]
    modules/*.yaml      one module and its topics per file, read in sorted order
    projects.yaml       projects: [...]

`content_pack_read` validates a whole pack and reports every problem at once,
`content_pack_load` writes it in one transaction (upserting by slug and archiving what the
pack no longer lists, never deleting), and `content_pack_export` writes the database's
content back in the same layout.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone

from careers.models import Responsibility, Role, RoleRequirement
from learning.models import Level, Module, ProjectIdea, Resource, Topic

ROLES_FILE = "roles.yaml"
MODULES_DIR = "modules"
PROJECTS_FILE = "projects.yaml"

IMPORTANCES = [choice.value for choice in RoleRequirement.Importance]
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+\Z")
POSITIVE_INTEGER_MAX = 2_147_483_647
SMALL_INTEGER_MAX = 32_767
BATCH_SIZE = 500
FOCUSES = Role.Focus.values
SENIORITIES = Role.Seniority.values
CATEGORIES = Module.Category.values
LEVELS = Level.values
KINDS = Resource.Kind.values
_url_validate = URLValidator(schemes=["http", "https"])


class _PackLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML loading (with libyaml's parser when installed: several times faster) that
    refuses a key given twice in one mapping instead of silently keeping the last."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_UNREADABLE = object()


class ContentPackError(Exception):
    """A pack that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list["Problem"]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self):
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


@dataclass
class ResourceData:
    title: str
    url: str
    kind: str
    is_free: bool


@dataclass
class TopicData:
    slug: str
    title: str
    description: str
    hours: int
    level: str
    prerequisites: list[str]
    resources: list[ResourceData]
    file: str = ""
    entry: str = ""


@dataclass
class ModuleData:
    slug: str
    title: str
    category: str
    summary: str
    order: int
    topics: list[TopicData]
    file: str = ""
    entry: str = ""


@dataclass
class RoleData:
    slug: str
    title: str
    summary: str
    description: str
    focus: str
    seniority: str
    order: int
    responsibilities: list[str]
    education: str
    salary_min: int | None
    salary_max: int | None
    salary_note: str
    industries: list[str]
    leads_to: list[str]
    requirements: dict[str, list[str]]
    file: str = ""
    entry: str = ""


@dataclass
class ProjectData:
    slug: str
    title: str
    summary: str
    description: str
    difficulty: str
    hours: int
    modules: list[str]
    roles: list[str]
    file: str = ""
    entry: str = ""


@dataclass
class ContentPack:
    roles: list[RoleData]
    modules: list[ModuleData]
    projects: list[ProjectData]

    @property
    def topics(self) -> list[TopicData]:
        return [topic for module in self.modules for topic in module.topics]


# Reading and validating


def content_pack_read(path) -> ContentPack:
    """Parse and validate the pack at `path`; raise ContentPackError listing every problem."""
    root = Path(path)
    if not root.is_dir():
        raise ContentPackError([Problem(str(root), "", "no such directory")])
    problems = _Problems()
    pack = ContentPack(
        roles=_roles_read(root, problems),
        modules=_modules_read(root, problems),
        projects=_projects_read(root, problems),
    )
    # References into a file that could not be read would all look unknown: skip them.
    _references_check(
        pack,
        problems,
        check_roles=ROLES_FILE not in problems.unreadable,
        check_modules=not any(file.startswith(MODULES_DIR) for file in problems.unreadable),
    )
    if problems:
        file_order = {file: index for index, file in enumerate(dict.fromkeys(_files(root)))}
        problems.sort(key=lambda problem: file_order.get(problem.file, len(file_order)))
        raise ContentPackError(problems)
    return pack


class _Problems(list):
    """The problems found so far, and which files could not be read at all."""

    def __init__(self):
        super().__init__()
        self.unreadable: set[str] = set()

    def file_unreadable(self, problem: Problem):
        self.append(problem)
        self.unreadable.add(problem.file)


def _files(root: Path) -> list[str]:
    modules = [f"{MODULES_DIR}/{p.name}" for p in sorted((root / MODULES_DIR).glob("*.yaml"))]
    return [ROLES_FILE, *modules, PROJECTS_FILE]


def _yaml_read(root: Path, name: str, problems: _Problems):
    """The parsed YAML of one file, or _UNREADABLE after noting why it could not be read."""
    try:
        text = (root / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.file_unreadable(Problem(name, "", "the file is missing"))
        return _UNREADABLE
    except UnicodeDecodeError as exc:
        problems.file_unreadable(Problem(name, "", f"the file is not UTF-8 text ({exc.reason})"))
        return _UNREADABLE
    try:
        return yaml.load(text, Loader=_PackLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}" if mark else ""
        column = f", column {mark.column + 1}" if mark else ""
        reason = exc.problem or exc.context or "invalid YAML"
        problems.file_unreadable(
            Problem(name, line, f"YAML syntax error: {reason} ({line}{column})")
        )
    except yaml.YAMLError as exc:
        problems.file_unreadable(Problem(name, "", f"YAML error: {exc}"))
    return _UNREADABLE


def _list_file_read(root, name, key, problems) -> list[tuple[str, dict]]:
    """(entry label, mapping) for each entry of a file holding one top-level list `key`."""
    data = _yaml_read(root, name, problems)
    if data is _UNREADABLE:
        return []
    if not isinstance(data, dict):
        problems.file_unreadable(
            Problem(name, "", f"must be a mapping with a {key!r} list, not {_describe(data)}")
        )
        return []
    for unknown in sorted(data.keys() - {key}, key=str):
        problems.append(Problem(name, "", f"unknown key {unknown!r}"))
    if key not in data:
        problems.file_unreadable(Problem(name, "", f"missing required key {key!r}"))
        return []
    items = data[key]
    if not isinstance(items, list):
        problems.file_unreadable(
            Problem(name, "", f"{key!r} must be a list, not {_describe(items)}")
        )
        return []
    return _mappings(name, key, items, problems)


def _mappings(file, prefix, items, problems) -> list[tuple[str, dict]]:
    entries = []
    for index, item in enumerate(items):
        label = _entry_label(prefix, index, item)
        if isinstance(item, dict):
            entries.append((label, item))
        else:
            problems.append(Problem(file, label, f"must be a mapping, not {_describe(item)}"))
    return entries


def _entry_label(prefix: str, index: int, item) -> str:
    slug = item.get("slug") if isinstance(item, dict) else None
    if isinstance(slug, str) and slug:
        return f"{prefix}[{index}] {slug}"
    return f"{prefix}[{index}]"


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{value!r} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


class _Reader:
    """Reads the keys of one mapping, noting each problem against its file and entry."""

    def __init__(self, problems, file, entry, data: dict, keys: Iterable[str]):
        self.problems = problems
        self.file = file
        self.entry = entry
        self.data = data
        for key in data:
            if key not in keys:
                self.problem(f"unknown key {key!r}")

    def problem(self, message: str):
        self.problems.append(Problem(self.file, self.entry, message))

    def _get(self, key, required):
        """(present, value); a missing or empty optional key is not present."""
        value = self.data.get(key)
        if key not in self.data or (value is None and not required):
            if required:
                self.problem(f"missing required key {key!r}")
            return False, None
        return True, value

    def text(self, key, *, max_length=None, required=True) -> str:
        present, value = self._get(key, required)
        if not present:
            return ""
        if not isinstance(value, str):
            self.problem(f"{key!r} must be text, not {_describe(value)}")
            return ""
        if required and not value.strip():
            self.problem(f"{key!r} must not be empty")
        if max_length and len(value) > max_length:
            self.problem(
                f"{key!r} is {len(value)} characters long; the most allowed is {max_length}"
            )
        return value

    def slug(self, key="slug", *, max_length=120) -> str:
        value = self.text(key, max_length=max_length)
        if value and not SLUG_RE.match(value):
            self.problem(f"{key!r} must be a slug (letters, digits, - and _), not {value!r}")
        return value

    def integer(self, key, *, minimum=0, maximum=POSITIVE_INTEGER_MAX, required=True):
        present, value = self._get(key, required)
        if not present:
            return None
        wanted = "a positive integer" if minimum == 1 else f"an integer of {minimum} or more"
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(f"{key!r} must be {wanted}, not {_describe(value)}")
            return None
        if value > maximum:
            self.problem(f"{key!r} must be at most {maximum}, not {value}")
            return None
        return value

    def boolean(self, key) -> bool:
        present, value = self._get(key, True)
        if present and not isinstance(value, bool):
            self.problem(f"{key!r} must be true or false, not {_describe(value)}")
        return bool(value)

    def choice(self, key, choices: list[str]) -> str:
        present, value = self._get(key, True)
        if not present:
            return ""
        if value not in choices:
            allowed = ", ".join(choices)
            self.problem(f"{key!r} must be one of {allowed}; not {_describe(value)}")
            return ""
        return value

    def texts(self, key, *, max_length=None, required=True) -> list[str]:
        present, value = self._get(key, required)
        if not present:
            return []
        if not isinstance(value, list):
            self.problem(f"{key!r} must be a list, not {_describe(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{key}[{index}] must be non-empty text, not {_describe(item)}")
            elif max_length and len(item) > max_length:
                self.problem(
                    f"{key}[{index}] is {len(item)} characters long; "
                    f"the most allowed is {max_length}"
                )
            else:
                items.append(item)
        return items

    def slugs(self, key, *, required=True) -> list[str]:
        """A list of slugs; each slug is kept once, a repeat is a problem."""
        slugs = []
        for slug in self.texts(key, required=required):
            if slug in slugs:
                self.problem(f"{key!r} lists {slug!r} twice")
            elif not SLUG_RE.match(slug):
                self.problem(f"{key!r} has {slug!r}, which is not a slug")
            else:
                slugs.append(slug)
        return slugs

    def mappings(self, key, prefix, *, required=True) -> list[tuple[str, dict]]:
        present, value = self._get(key, required)
        if not present:
            return []
        if not isinstance(value, list):
            self.problem(f"{key!r} must be a list, not {_describe(value)}")
            return []
        return _mappings(self.file, prefix, value, self.problems)


ROLE_KEYS = [
    "slug",
    "title",
    "summary",
    "description",
    "focus",
    "seniority",
    "order",
    "responsibilities",
    "education",
    "salary_min",
    "salary_max",
    "salary_note",
    "industries",
    "leads_to",
    "requirements",
]
MODULE_KEYS = ["slug", "title", "category", "summary", "order", "topics"]
TOPIC_KEYS = ["slug", "title", "description", "hours", "level", "prerequisites", "resources"]
RESOURCE_KEYS = ["title", "url", "kind", "free"]
PROJECT_KEYS = [
    "slug",
    "title",
    "summary",
    "description",
    "difficulty",
    "hours",
    "modules",
    "roles",
]


def _roles_read(root: Path, problems: _Problems) -> list[RoleData]:
    roles = []
    seen: dict[str, str] = {}
    for label, data in _list_file_read(root, ROLES_FILE, "roles", problems):
        read = _Reader(problems, ROLES_FILE, label, data, ROLE_KEYS)
        role = RoleData(
            slug=read.slug(max_length=_max_length(Role, "slug")),
            title=read.text("title", max_length=_max_length(Role, "title")),
            summary=read.text("summary", max_length=_max_length(Role, "summary")),
            description=read.text("description"),
            focus=read.choice("focus", FOCUSES),
            seniority=read.choice("seniority", SENIORITIES),
            order=read.integer("order"),
            responsibilities=read.texts(
                "responsibilities", max_length=_max_length(Responsibility, "text")
            ),
            education=read.text("education", required=False),
            salary_min=read.integer("salary_min", required=False),
            salary_max=read.integer("salary_max", required=False),
            salary_note=read.text(
                "salary_note", max_length=_max_length(Role, "salary_note"), required=False
            ),
            industries=read.texts("industries", required=False),
            leads_to=read.slugs("leads_to", required=False),
            requirements=_requirements_read(read),
            file=ROLES_FILE,
            entry=label,
        )
        if (
            role.salary_min is not None
            and role.salary_max is not None
            and role.salary_min > role.salary_max
        ):
            read.problem(
                f"'salary_min' ({role.salary_min}) is above 'salary_max' ({role.salary_max})"
            )
        _duplicate_check(read, "role", role.slug, seen)
        roles.append(role)
    return roles


def _requirements_read(read: _Reader) -> dict[str, list[str]]:
    present, value = read._get("requirements", True)
    if not present:
        return {}
    if not isinstance(value, dict):
        read.problem(f"'requirements' must be a mapping of {', '.join(IMPORTANCES)}")
        return {}
    for key in value:
        if key not in IMPORTANCES:
            read.problem(f"'requirements' has unknown importance {key!r}")
    nested = _Reader(
        read.problems,
        read.file,
        read.entry,
        {f"requirements.{key}": value[key] for key in IMPORTANCES if key in value},
        [f"requirements.{key}" for key in IMPORTANCES],
    )
    requirements = {
        importance: nested.slugs(f"requirements.{importance}", required=False)
        for importance in IMPORTANCES
    }
    seen: dict[str, str] = {}
    for importance, slugs in requirements.items():
        for slug in slugs:
            if slug in seen and seen[slug] != importance:
                read.problem(
                    f"module {slug!r} is required twice ({seen[slug]} and {importance}); "
                    "a module may be listed once per role"
                )
            seen.setdefault(slug, importance)
    return requirements


def _duplicate_check(read: _Reader, kind: str, slug: str, seen: dict[str, str]):
    if not slug:
        return
    if slug in seen:
        read.problem(f"duplicate {kind} slug {slug!r} (first used in {seen[slug]})")
    else:
        seen[slug] = f"{read.file} {read.entry}"


def _modules_read(root: Path, problems: _Problems) -> list[ModuleData]:
    paths = sorted((root / MODULES_DIR).glob("*.yaml"))
    if not paths:
        problems.file_unreadable(Problem(f"{MODULES_DIR}/", "", "no module files (*.yaml)"))
    modules = []
    seen_modules: dict[str, str] = {}
    seen_topics: dict[str, str] = {}
    for file_path in paths:
        name = f"{MODULES_DIR}/{file_path.name}"
        data = _yaml_read(root, name, problems)
        if data is _UNREADABLE:
            continue
        if not isinstance(data, dict):
            problems.file_unreadable(Problem(name, "", f"must be a mapping, not {_describe(data)}"))
            continue
        slug = data.get("slug")
        label = f"module {slug}" if isinstance(slug, str) and slug else "module"
        read = _Reader(problems, name, label, data, MODULE_KEYS)
        module = ModuleData(
            slug=read.slug(max_length=_max_length(Module, "slug")),
            title=read.text("title", max_length=_max_length(Module, "title")),
            category=read.choice("category", CATEGORIES),
            summary=read.text("summary"),
            order=read.integer("order"),
            topics=[],
            file=name,
            entry=label,
        )
        _duplicate_check(read, "module", module.slug, seen_modules)
        for topic_label, topic_data in read.mappings("topics", "topics"):
            topic = _topic_read(problems, name, topic_label, topic_data)
            _duplicate_check(
                _Reader(problems, name, topic_label, {}, []), "topic", topic.slug, seen_topics
            )
            module.topics.append(topic)
        modules.append(module)
    return modules


def _topic_read(problems, file, label, data) -> TopicData:
    read = _Reader(problems, file, label, data, TOPIC_KEYS)
    topic = TopicData(
        slug=read.slug(max_length=_max_length(Topic, "slug")),
        title=read.text("title", max_length=_max_length(Topic, "title")),
        description=read.text("description"),
        hours=read.integer("hours", minimum=1, maximum=SMALL_INTEGER_MAX),
        level=read.choice("level", LEVELS),
        prerequisites=read.slugs("prerequisites", required=False),
        resources=[],
        file=file,
        entry=label,
    )
    for resource_label, resource_data in read.mappings("resources", "resources", required=False):
        resource_read = _Reader(
            problems, file, f"{label} {resource_label}", resource_data, RESOURCE_KEYS
        )
        topic.resources.append(
            ResourceData(
                title=resource_read.text("title", max_length=_max_length(Resource, "title")),
                url=_url_read(resource_read),
                kind=resource_read.choice("kind", KINDS),
                is_free=resource_read.boolean("free"),
            )
        )
    return topic


def _url_read(read: _Reader) -> str:
    url = read.text("url", max_length=_max_length(Resource, "url"))
    if not url:
        return url
    if not url.lower().startswith(("http://", "https://")):
        read.problem(f"'url' must be an http:// or https:// address, not {url!r}")
        return url
    try:
        _url_validate(url)
    except ValidationError:
        read.problem(f"'url' is not a valid address: {url!r}")
    return url


def _projects_read(root: Path, problems: _Problems) -> list[ProjectData]:
    projects = []
    seen: dict[str, str] = {}
    for label, data in _list_file_read(root, PROJECTS_FILE, "projects", problems):
        read = _Reader(problems, PROJECTS_FILE, label, data, PROJECT_KEYS)
        project = ProjectData(
            slug=read.slug(max_length=_max_length(ProjectIdea, "slug")),
            title=read.text("title", max_length=_max_length(ProjectIdea, "title")),
            summary=read.text("summary", max_length=_max_length(ProjectIdea, "summary")),
            description=read.text("description"),
            difficulty=read.choice("difficulty", LEVELS),
            hours=read.integer("hours", minimum=1, maximum=SMALL_INTEGER_MAX),
            modules=read.slugs("modules"),
            roles=read.slugs("roles"),
            file=PROJECTS_FILE,
            entry=label,
        )
        _duplicate_check(read, "project", project.slug, seen)
        projects.append(project)
    return projects


def _references_check(pack: ContentPack, problems: list[Problem], *, check_roles, check_modules):
    """Every slug a pack refers to exists, and prerequisites have no cycles."""
    role_slugs = {role.slug for role in pack.roles}
    module_slugs = {module.slug for module in pack.modules}
    topics = {topic.slug: topic for topic in pack.topics if topic.slug}

    def unknown(entry, key, kind, slugs, known):
        if not (check_roles if kind == "role" else check_modules):
            return
        for slug in slugs:
            if slug not in known:
                problems.append(
                    Problem(entry.file, entry.entry, f"{key!r} refers to unknown {kind} {slug!r}")
                )

    for role in pack.roles:
        unknown(role, "leads_to", "role", role.leads_to, role_slugs)
        if role.slug and role.slug in role.leads_to:
            problems.append(Problem(role.file, role.entry, "'leads_to' lists the role itself"))
        for importance, slugs in role.requirements.items():
            unknown(role, f"requirements.{importance}", "module", slugs, module_slugs)
    for topic in pack.topics:
        unknown(topic, "prerequisites", "topic", topic.prerequisites, topics)
    for project in pack.projects:
        unknown(project, "modules", "module", project.modules, module_slugs)
        unknown(project, "roles", "role", project.roles, role_slugs)

    graph = {
        slug: [prerequisite for prerequisite in topic.prerequisites if prerequisite in topics]
        for slug, topic in topics.items()
    }
    for cycle in prerequisite_cycles(graph):
        first = topics[cycle[0]]
        path = " -> ".join(cycle)
        problems.append(Problem(first.file, first.entry, f"prerequisite cycle: {path}"))


def prerequisite_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of a prerequisite graph as a path that ends where it starts.

    Iterative depth-first search, so a chain of thousands of topics cannot hit the
    recursion limit; every edge closing a cycle is reported once.
    """
    visiting, done = 1, 2
    marks: dict[str, int] = {}
    cycles = []
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
                cycles.append([*path[path.index(node) :], node])
            elif node not in marks:
                marks[node] = visiting
                path.append(node)
                stack.append(iter(graph.get(node, ())))
    return cycles


# Loading


@dataclass
class KindReport:
    created: int = 0
    updated: int = 0
    archived: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.archived} archived"


@dataclass
class LoadReport:
    roles: KindReport = field(default_factory=KindReport)
    modules: KindReport = field(default_factory=KindReport)
    topics: KindReport = field(default_factory=KindReport)
    projects: KindReport = field(default_factory=KindReport)

    @property
    def kinds(self) -> dict[str, KindReport]:
        return {
            "Roles": self.roles,
            "Modules": self.modules,
            "Topics": self.topics,
            "Projects": self.projects,
        }

    @property
    def total(self) -> KindReport:
        kinds = self.kinds.values()
        return KindReport(
            created=sum(kind.created for kind in kinds),
            updated=sum(kind.updated for kind in kinds),
            archived=sum(kind.archived for kind in kinds),
        )

    @property
    def changed(self) -> bool:
        total = self.total
        return bool(total.created or total.updated or total.archived)

    def lines(self) -> list[str]:
        return [f"{name}: {kind}" for name, kind in self.kinds.items()] + [f"Total: {self.total}"]

    def __str__(self):
        return "\n".join(self.lines())


def content_pack_load(*, path) -> LoadReport:
    """Validate the pack at `path`, then make the database's content match it.

    Upserts roles, modules, topics and project ideas by slug; archives those the pack no
    longer lists (nothing is deleted, learners' history hangs on topics); replaces
    responsibilities, requirements and resources. Raises ContentPackError, writing nothing,
    when the pack has problems.
    """
    pack = content_pack_read(path)
    report = LoadReport()
    with transaction.atomic():
        now = timezone.now()
        modules = _modules_write(pack, report.modules, now)
        _topics_write(pack, modules, report.topics, now)
        roles = _roles_write(pack, modules, report.roles, now)
        _projects_write(pack, modules, roles, report.projects, now)
    if report.changed:
        content_cache_bump_if_available()
    return report


def content_cache_bump_if_available():
    """Tell the content caches that content changed, when the project has them."""
    try:
        from common.cache import content_cache_bump
    except ImportError:
        return
    content_cache_bump()


class _Upsert:
    """Rows of one model made to match the pack by slug; the rest archived."""

    def __init__(self, model, rows: dict[str, dict], now):
        existing = {obj.slug: obj for obj in model.objects.order_by().iterator()}
        created, updated = [], []
        for slug, values in rows.items():
            obj = existing.get(slug)
            if obj is None:
                created.append(model(slug=slug, **values))
                continue
            changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
            if obj.is_archived:
                changed["is_archived"] = False  # back in the pack: restored
            if changed:
                updated.append((obj, changed))
        model.objects.bulk_create(created, batch_size=BATCH_SIZE)
        # One small UPDATE per changed row: far quicker than bulk_update's CASE expressions
        # for thousands of rows, and only the fields that changed are written.
        for obj, changed in updated:
            model.objects.filter(pk=obj.pk).update(**changed, updated_at=now)
        archived = [
            obj.pk for slug, obj in existing.items() if slug not in rows and not obj.is_archived
        ]
        for batch in _batches(archived):
            model.objects.filter(pk__in=batch).update(is_archived=True, updated_at=now)

        self.ids = {slug: obj.pk for slug, obj in existing.items() if slug in rows}
        self.ids.update({obj.slug: obj.pk for obj in created})
        if any(pk is None for pk in self.ids.values()):  # backends that return no ids
            self.ids = dict(
                model.objects.filter(slug__in=list(rows)).values_list("slug", "id").iterator()
            )
        self.created = {obj.slug for obj in created}
        self.updated = {obj.slug for obj, _ in updated}
        self.archived = len(archived)

    def touch(self, slugs: Iterable[str]):
        """Count rows whose children or relations changed as updated (unless just created)."""
        self.updated.update(slug for slug in slugs if slug not in self.created)

    def report(self, counts: KindReport):
        counts.created = len(self.created)
        counts.updated = len(self.updated)
        counts.archived = self.archived


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _m2m_columns(relation):
    """(through model, owner column, target column) of an M2M field, or of the reverse
    side of one (an idea's roles are declared on Role)."""
    if isinstance(relation, models.ManyToManyRel):
        field = relation.field
        return (
            field.remote_field.through,
            f"{field.m2m_reverse_field_name()}_id",
            f"{field.m2m_field_name()}_id",
        )
    through = relation.remote_field.through
    return through, f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"


def _m2m_write(relation, wanted: dict[int, set[int]]) -> set[int]:
    """Make each owner's links through the `relation` M2M field match `wanted`
    (owner id -> target ids); return the owners whose links changed."""
    through, owner, target = _m2m_columns(relation)
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, owner_id, target_id in through.objects.values_list("id", owner, target).iterator():
        if owner_id in wanted:
            current[owner_id][target_id] = pk
    stale, new, changed = [], [], set()
    for owner_id, targets in wanted.items():
        have = current.get(owner_id, {})
        gone = [pk for target_id, pk in have.items() if target_id not in targets]
        added = [target_id for target_id in targets if target_id not in have]
        if gone or added:
            changed.add(owner_id)
            stale.extend(gone)
            new.extend(through(**{owner: owner_id, target: target_id}) for target_id in added)
    for batch in _batches(stale):
        through.objects.filter(pk__in=batch).delete()
    through.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return changed


def _children_write(model, owner: str, fields: list[str], wanted: dict[int, list[tuple]]):
    """Replace the child rows of each owner whose rows differ from `wanted`
    (owner id -> list of field-value tuples, in order); return the owners changed."""
    owner_id = f"{owner}_id"
    current: dict[int, list[tuple]] = defaultdict(list)
    rows = model.objects.order_by(owner_id, *model._meta.ordering).values_list(owner_id, *fields)
    for row in rows.iterator():
        if row[0] in wanted:
            current[row[0]].append(tuple(row[1:]))
    changed = [pk for pk, children in wanted.items() if current.get(pk, []) != children]
    for batch in _batches(changed):
        model.objects.filter(**{f"{owner_id}__in": batch}).delete()
    model.objects.bulk_create(
        [
            model(**{owner_id: pk}, **dict(zip(fields, values, strict=True)))
            for pk in changed
            for values in wanted[pk]
        ],
        batch_size=BATCH_SIZE,
    )
    return set(changed)


def _slugs_of(ids: dict[str, int], pks: set[int]) -> list[str]:
    return [slug for slug, pk in ids.items() if pk in pks]


def _modules_write(pack, counts, now) -> dict[str, int]:
    upsert = _Upsert(
        Module,
        {
            module.slug: {
                "title": module.title,
                "category": module.category,
                "summary": module.summary,
                "order": module.order,
            }
            for module in pack.modules
        },
        now,
    )
    upsert.report(counts)
    return upsert.ids


def _topics_write(pack, modules, counts, now) -> dict[str, int]:
    rows = {}
    for module in pack.modules:
        for index, topic in enumerate(module.topics):
            rows[topic.slug] = {
                "module_id": modules[module.slug],
                "title": topic.title,
                "description": topic.description,
                "order": index * 10,
                "hours": topic.hours,
                "level": topic.level,
            }
    upsert = _Upsert(Topic, rows, now)
    ids = upsert.ids
    prerequisites = {
        ids[topic.slug]: {ids[slug] for slug in topic.prerequisites} for topic in pack.topics
    }
    upsert.touch(_slugs_of(ids, _m2m_write(Topic._meta.get_field("prerequisites"), prerequisites)))
    resources = {
        ids[topic.slug]: [
            (resource.title, resource.url, resource.kind, resource.is_free, index)
            for index, resource in enumerate(topic.resources)
        ]
        for topic in pack.topics
    }
    fields = ["title", "url", "kind", "is_free", "order"]
    upsert.touch(_slugs_of(ids, _children_write(Resource, "topic", fields, resources)))
    _changed_updated_at(Topic, upsert, now)
    upsert.report(counts)
    return ids


def _roles_write(pack, modules, counts, now) -> dict[str, int]:
    upsert = _Upsert(
        Role,
        {
            role.slug: {
                "title": role.title,
                "summary": role.summary,
                "description": role.description,
                "focus": role.focus,
                "seniority": role.seniority,
                "order": role.order,
                "education": role.education,
                "salary_min": role.salary_min,
                "salary_max": role.salary_max,
                "salary_note": role.salary_note,
                "industries": role.industries,
            }
            for role in pack.roles
        },
        now,
    )
    ids = upsert.ids
    leads_to = {ids[role.slug]: {ids[slug] for slug in role.leads_to} for role in pack.roles}
    upsert.touch(_slugs_of(ids, _m2m_write(Role._meta.get_field("leads_to"), leads_to)))
    responsibilities = {
        ids[role.slug]: [(text, index) for index, text in enumerate(role.responsibilities)]
        for role in pack.roles
    }
    upsert.touch(
        _slugs_of(ids, _children_write(Responsibility, "role", ["text", "order"], responsibilities))
    )
    requirements = {
        ids[role.slug]: sorted(
            (modules[slug], importance)
            for importance, slugs in role.requirements.items()
            for slug in slugs
        )
        for role in pack.roles
    }
    upsert.touch(_slugs_of(ids, _requirements_write(requirements)))
    _changed_updated_at(Role, upsert, now)
    upsert.report(counts)
    return ids


def _requirements_write(wanted: dict[int, list[tuple[int, str]]]) -> set[int]:
    """Requirements are a set per role, so compare them sorted, not in table order."""
    current: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = RoleRequirement.objects.values_list("role_id", "module_id", "importance")
    for role_id, module_id, importance in rows.iterator():
        current[role_id].append((module_id, importance))
    changed = [pk for pk, rows in wanted.items() if sorted(current.get(pk, [])) != rows]
    for batch in _batches(changed):
        RoleRequirement.objects.filter(role_id__in=batch).delete()
    RoleRequirement.objects.bulk_create(
        [
            RoleRequirement(role_id=pk, module_id=module_id, importance=importance)
            for pk in changed
            for module_id, importance in wanted[pk]
        ],
        batch_size=BATCH_SIZE,
    )
    return set(changed)


def _projects_write(pack, modules, roles, counts, now):
    upsert = _Upsert(
        ProjectIdea,
        {
            project.slug: {
                "title": project.title,
                "summary": project.summary,
                "description": project.description,
                "difficulty": project.difficulty,
                "hours": project.hours,
                "order": index,
            }
            for index, project in enumerate(pack.projects)
        },
        now,
    )
    ids = upsert.ids
    project_modules = {
        ids[project.slug]: {modules[slug] for slug in project.modules} for project in pack.projects
    }
    project_roles = {
        ids[project.slug]: {roles[slug] for slug in project.roles} for project in pack.projects
    }
    upsert.touch(
        _slugs_of(ids, _m2m_write(ProjectIdea._meta.get_field("modules"), project_modules))
    )
    upsert.touch(_slugs_of(ids, _m2m_write(ProjectIdea._meta.get_field("roles"), project_roles)))
    _changed_updated_at(ProjectIdea, upsert, now)
    upsert.report(counts)


def _changed_updated_at(model, upsert: _Upsert, now):
    """Stamp rows updated only through their relations or children."""
    slugs = list(upsert.updated)
    for batch in _batches(slugs):
        model.objects.filter(slug__in=batch, updated_at__lt=now).update(updated_at=now)


# Exporting


class _PackDumper(yaml.SafeDumper):
    """Safe YAML with lists indented under their key, as people write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _str_represent(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _str_represent)


def _yaml_dump(data) -> str:
    return yaml.dump(data, Dumper=_PackDumper, sort_keys=False, allow_unicode=True, width=100)


def content_pack_export(*, path) -> list[Path]:
    """Write the database's content that is not archived as a pack at `path`.

    Writes roles.yaml, projects.yaml and modules/NN-<slug>.yaml (NN the module's position),
    removes other modules/*.yaml files, and returns the paths written.
    """
    root = Path(path)
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
        Topic._meta.get_field("prerequisites"), topic_slugs, topic_slugs, topic_rank
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
                "title": topic.title,
                "description": topic.description,
                "hours": topic.hours,
                "level": topic.level,
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
            "title": module.title,
            "category": module.category,
            "summary": module.summary,
            "order": module.order,
            "topics": topics_by_module.get(module.pk, []),
        }
        module_path.write_text(_yaml_dump(data), encoding="utf-8")
        written.append(module_path)
    for stale in (root / MODULES_DIR).glob("*.yaml"):
        if stale not in written:
            stale.unlink()
    return written


def _links(relation, owners: dict[int, str], targets: dict[int, str], rank: dict[int, int]):
    """Owner id -> slugs of its targets through an M2M `relation`, only among the given
    (active) owners and targets, in `rank` order."""
    through, owner, target = _m2m_columns(relation)
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
    leads_to = _links(Role._meta.get_field("leads_to"), role_slugs, role_slugs, role_rank)
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
            "title": role.title,
            "summary": role.summary,
            "description": role.description,
            "focus": role.focus,
            "seniority": role.seniority,
            "order": role.order,
            "responsibilities": responsibilities.get(role.pk, []),
            "education": role.education,
            "salary_min": role.salary_min,
            "salary_max": role.salary_max,
            "salary_note": role.salary_note,
            "industries": list(role.industries),
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
        ProjectIdea._meta.get_field("modules"), project_slugs, module_slugs, module_rank
    )
    project_roles = _links(
        ProjectIdea._meta.get_field("roles"), project_slugs, role_slugs, role_rank
    )
    return [
        {
            "slug": project.slug,
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "difficulty": project.difficulty,
            "hours": project.hours,
            "modules": modules.get(project.pk, []),
            "roles": project_roles.get(project.pk, []),
        }
        for project in projects
    ]
