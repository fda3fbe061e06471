"""Loading a pack: all or nothing, in one transaction.

Roles, modules, topics, project ideas and questions are upserted by slug; those the pack no longer
lists are archived, never deleted (learners' history hangs on topics); responsibilities,
requirements, resources and links are replaced where they differ. Loading the same pack
again writes nothing. A load that changes content records a `ContentVersion`.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from careers.content_pack import moves, schema
from careers.content_pack.fast_yaml import gc_paused
from careers.content_pack.read import content_pack_read
from careers.content_pack.schema import values_of
from careers.content_pack.sync import Upsert, children_write, links_write
from careers.models import ContentVersion, Responsibility, Role, RoleRequirement
from common.cache import content_cache_bump
from learning.models import Module, ProjectIdea, Question, Resource, Topic


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
    questions: KindReport = field(default_factory=KindReport)
    carried_states: int = 0
    version: ContentVersion | None = None

    @property
    def kinds(self) -> dict[str, KindReport]:
        return {
            "Roles": self.roles,
            "Modules": self.modules,
            "Topics": self.topics,
            "Projects": self.projects,
            "Questions": self.questions,
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
        lines = [
            f"{name}: {kind}"
            for name, kind in self.kinds.items()
            # A pack without a question bank reads as it did before there was one.
            if name != "Questions" or kind.created or kind.updated or kind.archived
        ]
        lines.append(f"Total: {self.total}")
        if self.carried_states:
            lines.append(f"Learners' states carried to replacing topics: {self.carried_states}")
        if self.version:
            lines.append(f"Recorded as content version {self.version.number}.")
        return lines

    def __str__(self):
        return "\n".join(self.lines())


def content_pack_load(*, path) -> LoadReport:
    """Validate the pack at `path`, then make the database's content match it.

    Raises ContentPackError, writing nothing, when the pack has problems.
    """
    pack = content_pack_read(path)
    report = LoadReport()
    with gc_paused(), transaction.atomic():
        now = timezone.now()
        number = (ContentVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        modules = _modules_write(pack, now)
        topics = _topics_write(pack, modules.ids, now)
        roles = _roles_write(pack, modules.ids, now)
        projects = _projects_write(pack, modules.ids, roles.ids, now)
        questions = _questions_write(pack, topics.ids, now)
        topic_moves, module_moves = pack.topic_moves(), pack.module_moves()
        report.carried_states = moves.progress_carry(
            moves=topic_moves, retired=topics.archived, ids=topics.ids, version=number, now=now
        )
        moves.portfolio_links_carry(
            module_moves=module_moves, retired=modules.archived, module_ids=modules.ids
        )
        moves.redirects_write(
            moves=topic_moves, ids=topics.ids, module_moves=module_moves, module_ids=modules.ids
        )
        for upsert, counts in (
            (modules, report.modules),
            (topics, report.topics),
            (roles, report.roles),
            (projects, report.projects),
            (questions, report.questions),
        ):
            upsert.finish(counts)
        if report.changed or report.carried_states:
            report.version = _version_record(number, topics, topic_moves, report, now)
    if report.version:
        content_cache_bump()
    return report


def _version_record(number, topics: Upsert, topic_moves, report, now) -> ContentVersion:
    replaced = sorted(slug for slug in topics.archived if slug in topic_moves)
    return ContentVersion.objects.create(
        number=number,
        loaded_at=now,
        roles=Role.objects.active().count(),
        modules=Module.objects.active().count(),
        topics=Topic.objects.active().count(),
        projects=ProjectIdea.objects.active().count(),
        added_topics=sorted(topics.created),
        changed_topics=sorted(topics.updated),
        replaced_topics=replaced,
        retired_topics=sorted(set(topics.archived) - set(replaced)),
        carried_states=report.carried_states,
    )


def _modules_write(pack, now) -> Upsert:
    rows = {module.slug: values_of(module, schema.MODULE_FIELDS) for module in pack.modules}
    return Upsert(Module, rows, now)


def _topics_write(pack, modules: dict[str, int], now) -> Upsert:
    rows = {
        topic.slug: values_of(topic, schema.TOPIC_FIELDS)
        | {"module_id": modules[module.slug], "order": index * 10}
        for module in pack.modules
        for index, topic in enumerate(module.topics)
    }
    upsert = Upsert(Topic, rows, now)
    ids = upsert.ids
    prerequisites = {ids[t.slug]: {ids[slug] for slug in t.prerequisites} for t in pack.topics}
    through = Topic.prerequisites.through
    upsert.touch(links_write(through, "from_topic_id", "to_topic_id", prerequisites))
    resources = {
        ids[topic.slug]: [
            (resource.title, resource.url, resource.kind, resource.free, index)
            for index, resource in enumerate(topic.resources)
        ]
        for topic in pack.topics
    }
    fields = ["title", "url", "kind", "is_free", "order"]
    upsert.touch(children_write(Resource, "topic", fields, resources))
    return upsert


def _roles_write(pack, modules: dict[str, int], now) -> Upsert:
    fields = schema.ROLE_FIELDS + schema.ROLE_MORE_FIELDS
    rows = {role.slug: values_of(role, fields) for role in pack.roles}
    upsert = Upsert(Role, rows, now)
    ids = upsert.ids
    leads_to = {ids[role.slug]: {ids[slug] for slug in role.leads_to} for role in pack.roles}
    upsert.touch(links_write(Role.leads_to.through, "from_role_id", "to_role_id", leads_to))
    responsibilities = {
        ids[role.slug]: [(text, index) for index, text in enumerate(role.responsibilities)]
        for role in pack.roles
    }
    upsert.touch(children_write(Responsibility, "role", ["text", "order"], responsibilities))
    requirements = {
        ids[role.slug]: [
            (modules[slug], importance)
            for importance, slugs in role.requirements.by_importance().items()
            for slug in slugs
        ]
        for role in pack.roles
    }
    fields = ["module_id", "importance"]
    upsert.touch(children_write(RoleRequirement, "role", fields, requirements, ordered=False))
    return upsert


def _projects_write(pack, modules: dict[str, int], roles: dict[str, int], now) -> Upsert:
    rows = {
        project.slug: values_of(project, schema.PROJECT_FIELDS) | {"order": index}
        for index, project in enumerate(pack.projects)
    }
    upsert = Upsert(ProjectIdea, rows, now)
    ids = upsert.ids
    project_modules = {ids[p.slug]: {modules[slug] for slug in p.modules} for p in pack.projects}
    project_roles = {ids[p.slug]: {roles[slug] for slug in p.roles} for p in pack.projects}
    through = ProjectIdea.modules.through
    upsert.touch(links_write(through, "projectidea_id", "module_id", project_modules))
    # The idea-role table, whichever model declares it (its columns stay the same).
    through = ProjectIdea.roles.through
    upsert.touch(links_write(through, "projectidea_id", "role_id", project_roles))
    return upsert


def _questions_write(pack, topics: dict[str, int], now) -> Upsert:
    """Questions by slug; those the pack no longer lists are retired (archived), so the
    attempts that asked them keep them."""
    rows = {}
    for questions in pack.questions:
        for index, question in enumerate(questions.questions):
            rows[question.slug] = {
                "topic_id": topics[question.topic],
                "prompt": question.prompt,
                "options": [
                    {"text": option.text, "correct": option.correct} for option in question.options
                ],
                "explanation": question.explanation,
                "resource_url": question.resource or "",
                "order": index,
            }
    return Upsert(Question, rows, now)
