"""Reading a pack: each file checked against the schema, then what only the whole pack can
tell (duplicate slugs, references, prerequisite cycles, replacements, closed role paths).
Every problem is reported at once; `content_pack_read` returns a pack only when there is none.

A pack is a directory::

    roles.yaml          roles: [...]
    modules/*.yaml      one module and its topics per file, read in sorted order
    projects.yaml       projects: [...]
    questions/*.yaml    optional: `<module-slug>.yaml`, the question bank of one module
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from careers.content_pack.fast_yaml import gc_paused, yaml_load
from careers.content_pack.problems import (
    ContentPackError,
    Problem,
    describe,
    entry_label,
    problems_from,
)
from careers.content_pack.schema import (
    IMPORTANCES,
    ModuleFile,
    ProjectEntry,
    ProjectsFile,
    QuestionsFile,
    RoleEntry,
    RolesFile,
    TopicEntry,
)
from learning import graph

ROLES_FILE = "roles.yaml"
MODULES_DIR = "modules"
PROJECTS_FILE = "projects.yaml"
QUESTIONS_DIR = "questions"


@dataclass
class Placed:
    """A valid entry and where it is written."""

    file: str
    entry: str
    data: object
    module: str = ""  # a topic's module slug


@dataclass
class ContentPack:
    roles: list[RoleEntry] = field(default_factory=list)
    modules: list[ModuleFile] = field(default_factory=list)
    projects: list[ProjectEntry] = field(default_factory=list)
    questions: list[QuestionsFile] = field(default_factory=list)

    @property
    def topics(self) -> list[TopicEntry]:
        return [topic for module in self.modules for topic in module.topics]

    def topic_moves(self) -> dict[str, list[str]]:
        """Old topic slug -> the topics that carry it on (one: renamed; several: split)."""
        moves: dict[str, list[str]] = {}
        for module in self.modules:
            for split in module.split_topics:
                moves.setdefault(split.slug, []).extend(split.split_into)
            for topic in module.topics:
                for old in topic.replaces:
                    moves.setdefault(old, []).append(topic.slug)
        return {old: list(dict.fromkeys(new)) for old, new in moves.items()}

    def module_moves(self) -> dict[str, str]:
        return {old: module.slug for module in self.modules for old in module.replaces}


@dataclass
class _Reading:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    slugs: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    roles: list[Placed] = field(default_factory=list)
    modules: list[Placed] = field(default_factory=list)
    topics: list[Placed] = field(default_factory=list)
    projects: list[Placed] = field(default_factory=list)
    questions: list[Placed] = field(default_factory=list)

    def unreadable_file(self, file, entry, message):
        self.problems.append(Problem(file, entry, message))
        self.unreadable.add(file)

    def yaml(self, name: str):
        """The parsed file, or None after noting why it could not be read."""
        try:
            text = (self.root / name).read_text(encoding="utf-8")
            data = yaml_load(text)
        except FileNotFoundError:
            return self.unreadable_file(name, "", "the file is missing")
        except UnicodeDecodeError as exc:
            return self.unreadable_file(name, "", f"the file is not UTF-8 text ({exc.reason})")
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (
                (f"line {mark.line + 1}", f", column {mark.column + 1}") if mark else ("", "")
            )
            reason = exc.problem or exc.context or "invalid YAML"
            return self.unreadable_file(name, line, f"YAML syntax error: {reason} ({line}{column})")
        except yaml.YAMLError as exc:
            return self.unreadable_file(name, "", f"YAML error: {exc}")
        if not isinstance(data, dict):
            wanted = (
                "a mapping"
                if name.startswith((MODULES_DIR, QUESTIONS_DIR))
                else f"a mapping with a {name[:-5]!r} list"
            )
            return self.unreadable_file(name, "", f"must be {wanted}, not {describe(data)}")
        return data

    def validate(self, schema, data, *, file, label="", items="") -> tuple[object, dict]:
        """(the file's model or None, its valid `items` entries by index)."""
        try:
            model = schema.model_validate(data)
            return model, dict(enumerate(getattr(model, items)))
        except ValidationError as error:
            self.problems.extend(problems_from(error, file=file, data=data, label=label))
            locs = [detail["loc"] for detail in error.errors()]
            if any(loc == (items,) for loc in locs):
                self.unreadable.add(file)
                return None, {}
            bad = {loc[1] for loc in locs if len(loc) > 1 and loc[0] == items}
            entry_schema = schema.model_fields[items].annotation.__args__[0]
            entries = enumerate(data[items]) if isinstance(data.get(items), list) else ()
            valid = {i: entry_schema.model_validate(raw) for i, raw in entries if i not in bad}
            return None, valid

    def slug_seen(self, kind: str, slug, file: str, entry: str):
        if isinstance(slug, str) and slug:
            self.slugs.setdefault(kind, []).append((slug, file, entry))


def content_pack_read(path) -> ContentPack:
    """Parse and validate the pack at `path`; raise ContentPackError listing every problem."""
    root = Path(path)
    if not root.is_dir():
        raise ContentPackError([Problem(str(root), "", "no such directory")])
    with gc_paused():
        return _pack_read(root)


def _pack_read(root: Path) -> ContentPack:
    reading = _Reading(root)
    _list_file_read(reading, ROLES_FILE, RolesFile, "roles", "role")
    module_files = [f"{MODULES_DIR}/{p.name}" for p in sorted((root / MODULES_DIR).glob("*.yaml"))]
    if not module_files:
        reading.unreadable_file(f"{MODULES_DIR}/", "", "no module files (*.yaml)")
    for name in module_files:
        _module_read(reading, name)
    _list_file_read(reading, PROJECTS_FILE, ProjectsFile, "projects", "project")
    question_files = [
        f"{QUESTIONS_DIR}/{p.name}" for p in sorted((root / QUESTIONS_DIR).glob("*.yaml"))
    ]
    for name in question_files:
        _questions_read(reading, name)
    _duplicates_check(reading)
    _references_check(reading)
    _questions_check(reading)
    if not reading.problems:
        _leaks_check(reading)
    if reading.problems:
        order = {
            name: index
            for index, name in enumerate(
                [ROLES_FILE, *module_files, PROJECTS_FILE, *question_files]
            )
        }
        reading.problems.sort(key=lambda problem: order.get(problem.file, len(order)))
        raise ContentPackError(reading.problems)
    return ContentPack(
        roles=[placed.data for placed in reading.roles],
        modules=[placed.data for placed in reading.modules],
        projects=[placed.data for placed in reading.projects],
        questions=_question_files(reading),
    )


def _question_files(reading: _Reading) -> list[QuestionsFile]:
    """One QuestionsFile per module, in file order."""
    by_module: dict[str, list] = {}
    for placed in reading.questions:
        by_module.setdefault(placed.module, []).append(placed.data)
    return [QuestionsFile(module=slug, questions=items) for slug, items in by_module.items()]


def _list_file_read(reading: _Reading, name, schema, items, kind):
    data = reading.yaml(name)
    if data is None:
        return
    _, valid = reading.validate(schema, data, file=name, items=items)
    placed = getattr(reading, items)
    for label, entry in _entries(reading, name, data, items, kind, valid):
        placed.append(Placed(name, label, entry))


def _module_read(reading: _Reading, name: str):
    data = reading.yaml(name)
    if data is None:
        return
    slug = _text(data, "slug")
    label = f"module {slug}" if slug else "module"
    module, valid = reading.validate(ModuleFile, data, file=name, label=label, items="topics")
    reading.slug_seen("module", slug, name, label)
    if module is not None:
        reading.modules.append(Placed(name, label, module))
    for topic_label, topic in _entries(reading, name, data, "topics", "topic", valid):
        reading.topics.append(Placed(name, topic_label, topic, slug))


def _entries(reading: _Reading, name: str, data: dict, items: str, kind: str, valid: dict):
    """The valid entries of the file's list `items`, each with its label, after noting
    every entry's slug (a slug used twice is found across files)."""
    raw_entries = data.get(items) if isinstance(data.get(items), list) else []
    for index, raw in enumerate(raw_entries):
        label = entry_label(items, index, raw)
        reading.slug_seen(kind, raw.get("slug") if isinstance(raw, dict) else None, name, label)
        if index in valid:
            yield label, valid[index]


def _text(data: dict, key: str) -> str:
    """A top-level string of a file, or "" (the schema reports what is wrong with it)."""
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _duplicates_check(reading: _Reading):
    for kind, seen in reading.slugs.items():
        first: dict[str, str] = {}
        for slug, file, entry in seen:
            if slug in first:
                message = f"duplicate {kind} slug {slug!r} (first used in {first[slug]})"
                reading.problems.append(Problem(file, entry, message))
            else:
                first[slug] = f"{file} {entry}"


def _references_check(reading: _Reading):
    """Every slug the pack refers to exists; prerequisites have no cycle; what a topic or
    module replaces has left the pack."""
    known = {kind: {slug for slug, _, _ in seen} for kind, seen in reading.slugs.items()}
    modules_read = not any(file.startswith(MODULES_DIR) for file in reading.unreadable)
    checked = {
        "role": ROLES_FILE not in reading.unreadable,
        "module": modules_read,
        "topic": modules_read,
    }
    problems = reading.problems

    def unknown(placed, key, kind, slugs):
        for slug in slugs if checked[kind] else ():
            if slug not in known.get(kind, ()):
                problems.append(
                    Problem(placed.file, placed.entry, f"{key!r} refers to unknown {kind} {slug!r}")
                )

    def kept(placed, key, kind, slugs):
        for slug in slugs:
            if slug in known.get(kind, ()):
                message = (
                    f"{key!r} lists {slug!r}, which is still a {kind} in the pack: "
                    f"a {kind} is kept or replaced, not both"
                )
                problems.append(Problem(placed.file, placed.entry, message))

    for placed in reading.roles:
        role = placed.data
        unknown(placed, "leads_to", "role", role.leads_to)
        if role.slug in role.leads_to:
            problems.append(Problem(placed.file, placed.entry, "'leads_to' lists the role itself"))
        for importance in IMPORTANCES:
            unknown(
                placed,
                f"requirements.{importance}",
                "module",
                getattr(role.requirements, importance),
            )
    replaced_modules: dict[str, str] = {}
    for placed in reading.modules:
        kept(placed, "replaces", "module", placed.data.replaces)
        for old in placed.data.replaces:
            if replaced_modules.setdefault(old, placed.data.slug) != placed.data.slug:
                first, second = replaced_modules[old], placed.data.slug
                message = f"module {old!r} is replaced by both {first!r} and {second!r}"
                problems.append(Problem(placed.file, placed.entry, message))
        for index, split in enumerate(placed.data.split_topics):
            at = Placed(placed.file, f"split_topics[{index}] {split.slug}", split)
            kept(at, "slug", "topic", [split.slug])
            unknown(at, "split_into", "topic", split.split_into)
    for placed in reading.topics:
        unknown(placed, "prerequisites", "topic", placed.data.prerequisites)
        kept(placed, "replaces", "topic", placed.data.replaces)
    for placed in reading.projects:
        unknown(placed, "modules", "module", placed.data.modules)
        unknown(placed, "roles", "role", placed.data.roles)

    topics = {placed.data.slug: placed for placed in reading.topics}
    prerequisites = {
        slug: [p for p in placed.data.prerequisites if p in topics]
        for slug, placed in topics.items()
    }
    for cycle in graph.cycles(prerequisites):
        first = topics[cycle[0]]
        problems.append(
            Problem(first.file, first.entry, f"prerequisite cycle: {' -> '.join(cycle)}")
        )


def _leaks_check(reading: _Reading):
    """A role's path stays inside its modules: every prerequisite, however indirect, of a
    topic in a core module lies in a module the role lists."""
    prerequisites = {placed.data.slug: placed.data.prerequisites for placed in reading.topics}
    module_of = {placed.data.slug: placed.module for placed in reading.topics}
    for placed in reading.roles:
        requirements = placed.data.requirements
        start = [topic for topic, module in module_of.items() if module in requirements.core]
        found = graph.leaks(prerequisites, module_of, start=start, listed=requirements.listed)
        for module, chain in found.items():
            message = f"path leaves its modules: {' → '.join(chain)} (module {module}, not listed)"
            reading.problems.append(Problem(placed.file, placed.entry, message))


def _questions_read(reading: _Reading, name: str):
    data = reading.yaml(name)
    if data is None:
        return
    module = _text(data, "module")
    label = f"questions of {module}" if module else ""
    _, valid = reading.validate(QuestionsFile, data, file=name, label=label, items="questions")
    if module and name != f"{QUESTIONS_DIR}/{module}.yaml":
        message = f"questions of module {module!r} belong in {QUESTIONS_DIR}/{module}.yaml"
        reading.problems.append(Problem(name, "", message))
    for entry, question in _entries(reading, name, data, "questions", "question", valid):
        if module:
            reading.questions.append(Placed(name, entry, question, module))


def _questions_check(reading: _Reading):
    """Each question file names a module of the pack, once; each question a topic of it."""
    if any(file.startswith(MODULES_DIR) for file in reading.unreadable):
        return
    modules = {placed.data.slug for placed in reading.modules}
    topics = {placed.data.slug: placed.module for placed in reading.topics}
    reported: set[str] = set()
    for placed in reading.questions:
        module = placed.module
        if module not in modules:
            if placed.file not in reported:
                reported.add(placed.file)
                message = f"'module' refers to unknown module {module!r}"
                reading.problems.append(Problem(placed.file, "", message))
            continue
        topic = placed.data.topic
        if topic not in topics:
            message = f"'topic' refers to unknown topic {topic!r}"
            reading.problems.append(Problem(placed.file, placed.entry, message))
        elif topics[topic] != module:
            message = (
                f"'topic' {topic!r} is a topic of module {topics[topic]!r}, not {module!r}; "
                f"its questions belong in {QUESTIONS_DIR}/{topics[topic]}.yaml"
            )
            reading.problems.append(Problem(placed.file, placed.entry, message))
