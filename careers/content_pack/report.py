"""Figures for editors, per role, from the content in the database (`manage.py content_report`)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from careers.models import Role, RoleRequirement
from careers.path import EMPTY_PATH, role_paths
from learning import graph
from learning.models import Level, Module, Resource, Topic

MIN_DESCRIPTION_WORDS = 40


@dataclass
class RoleFigures:
    role: str
    core_hours: int
    path_hours: int
    recommended_hours: int
    without_resource: int
    paper_only_beginner: int
    short_descriptions: int
    duplicate_urls: int
    leaks: int

    COLUMNS = {
        "role": "role",
        "core_hours": "core h",
        "path_hours": "path h",
        "recommended_hours": "rec. h",
        "without_resource": "no resource",
        "paper_only_beginner": "paper-only beg.",
        "short_descriptions": f"desc <{MIN_DESCRIPTION_WORDS} words",
        "duplicate_urls": "dup. URLs",
        "leaks": "leaks",
    }


def content_report() -> list[RoleFigures]:
    """One row per active role, its hours from its path (careers/path.py: the core modules'
    topics and everything they need first; recommended hours are the optional stretch
    beyond it); the per-topic counts are over the path."""
    topics = {
        pk: (module_id, hours, level, len(description.split()))
        for pk, module_id, hours, level, description in Topic.objects.active().values_list(
            "pk", "module_id", "hours", "level", "description"
        )
    }
    prerequisites = defaultdict(list)
    through = Topic.prerequisites.through.objects.values_list("from_topic_id", "to_topic_id")
    for from_id, to_id in through:
        if from_id in topics and to_id in topics:
            prerequisites[from_id].append(to_id)
    paths = role_paths()
    kinds, urls = defaultdict(set), defaultdict(set)
    for topic_id, kind, url in Resource.objects.values_list("topic_id", "kind", "url"):
        if topic_id in topics:
            kinds[topic_id].add(kind)
            urls[url].add(topic_id)
    shared = {topic for owners in urls.values() if len(owners) > 1 for topic in owners}
    modules = defaultdict(dict)
    for role_id, module_id, importance in RoleRequirement.objects.filter(
        module__is_archived=False
    ).values_list("role_id", "module_id", "importance"):
        modules[role_id][module_id] = importance
    module_of = {pk: topic[0] for pk, topic in topics.items()}

    rows = []
    for role in Role.objects.active().order_by("order", "title"):
        listed = modules[role.pk]
        role_path = paths.get(role.pk, EMPTY_PATH)
        path = set(role_path.core_ids)
        core = [pk for pk, module in module_of.items() if listed.get(module) == "core"]
        leaks = graph.leaks(prerequisites, module_of, start=core, listed=set(listed))
        rows.append(
            RoleFigures(
                role=role.slug,
                core_hours=role_path.core_module_hours,
                path_hours=role_path.total_hours,
                recommended_hours=role_path.recommended_hours,
                without_resource=sum(1 for pk in path if not kinds[pk]),
                paper_only_beginner=sum(
                    1
                    for pk in path
                    if kinds[pk] == {Resource.Kind.PAPER} and topics[pk][2] == Level.BEGINNER
                ),
                short_descriptions=sum(1 for pk in path if topics[pk][3] < MIN_DESCRIPTION_WORDS),
                duplicate_urls=len(path & shared),
                leaks=len(leaks),
            )
        )
    return rows


def report_table(rows: list[RoleFigures]) -> list[str]:
    """The rows as a plain-text table, with a total line for the whole pack's topics."""
    header = list(RoleFigures.COLUMNS.values())
    cells = [[str(getattr(row, name)) for name in RoleFigures.COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]

    def line(values):
        first, *rest = values
        return "  ".join(
            [first.ljust(widths[0])] + [v.rjust(w) for v, w in zip(rest, widths[1:], strict=True)]
        )

    return [line(header), *(line(values) for values in cells)]


def pack_totals() -> Counter:
    """Counts over every active topic, whichever role lists it."""
    totals = Counter()
    for topic in Topic.objects.active().prefetch_related("resources"):
        kinds = {resource.kind for resource in topic.resources.all()}
        totals["topics"] += 1
        totals["without a resource"] += not kinds
        totals["paper-only beginner"] += kinds == {"paper"} and topic.level == Level.BEGINNER
        totals[f"descriptions under {MIN_DESCRIPTION_WORDS} words"] += (
            len(topic.description.split()) < MIN_DESCRIPTION_WORDS
        )
    urls = Counter(
        Resource.objects.filter(topic__in=Topic.objects.active()).values_list("url", flat=True)
    )
    totals["duplicate resource URLs"] = sum(1 for count in urls.values() if count > 1)
    return totals


# The question bank

# At least this many questions per topic: more for the modules people test out of by
# computing something (technical, data), where a small bank is soon memorised.
QUESTION_MINIMUMS = {Module.Category.TECHNICAL: 4, Module.Category.DATA: 4}
QUESTION_MINIMUM_DEFAULT = 3


def question_minimum(category: str) -> int:
    return QUESTION_MINIMUMS.get(category, QUESTION_MINIMUM_DEFAULT)


@dataclass
class ModuleQuestions:
    module: str
    minimum: int
    topics: list[tuple[str, int]]  # (topic slug, active questions), in topic order

    @property
    def questions(self) -> int:
        return sum(count for _, count in self.topics)

    @property
    def under_minimum(self) -> list[tuple[str, int]]:
        return [(slug, count) for slug, count in self.topics if count < self.minimum]


def question_report() -> list[ModuleQuestions]:
    """Per active module, each active topic's count of active questions (one query)."""
    rows = (
        Topic.objects.active()
        .annotate(question_count=Count("questions", filter=Q(questions__is_archived=False)))
        .order_by("module__order", "module__title", "module_id", "order", "id")
        .values_list("module__slug", "module__category", "slug", "question_count")
    )
    modules: dict[str, ModuleQuestions] = {}
    for module, category, topic, count in rows:
        entry = modules.setdefault(module, ModuleQuestions(module, question_minimum(category), []))
        entry.topics.append((topic, count))
    return list(modules.values())


def question_report_lines(rows: list[ModuleQuestions], *, per_topic: bool = True) -> list[str]:
    lines = []
    for row in rows:
        short = len(row.under_minimum)
        lines.append(
            f"{row.module}: {row.questions} questions over {len(row.topics)} topics "
            f"(minimum {row.minimum} each; {short} topic{'s' if short != 1 else ''} under it)"
        )
        if per_topic:
            lines.extend(
                f"  {slug}: {count}{'  < minimum' if count < row.minimum else ''}"
                for slug, count in row.topics
            )
    under = sum(len(row.under_minimum) for row in rows)
    total = sum(row.questions for row in rows)
    lines.append(f"Question bank: {total} questions; {under} topics under their minimum.")
    return lines
