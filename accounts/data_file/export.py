"""Everything we hold about a learner, as the data file `schema.DataFile` describes."""

from django.utils import timezone

from accounts.data_file.schema import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    DataFile,
    PortfolioProjectRecord,
    Profile,
    Record,
    TargetRoleChoice,
    TopicStateChangeRecord,
    TopicStateRecord,
)
from accounts.models import TargetRoleChange, User
from learning.models import PortfolioProject, TopicState, TopicStateChange


def _records(record: type[Record], rows, **sources) -> list[Record]:
    """One `record` per row. Each field reads the column of its own name, or what `sources`
    names for it: another column (a slug across a relation) or a function of the row."""
    sources = {name: sources.get(name, name) for name in record.model_fields}
    columns = [source for source in sources.values() if isinstance(source, str)]
    # Rows from our own tables need no checking, so model_construct skips it.
    return [
        record.model_construct(
            **{
                name: source(row) if callable(source) else row[source]
                for name, source in sources.items()
            }
        )
        for row in rows.values("id", *columns)
    ]


def user_export(*, user: User) -> dict:
    """Everything we hold about the learner as JSON-ready data, in six queries
    however much there is."""
    module_slugs: dict[int, list[str]] = {}
    for project_id, slug in (
        PortfolioProject.modules.through.objects.filter(portfolioproject__user=user)
        .order_by("module__slug")
        .values_list("portfolioproject_id", "module__slug")
    ):
        module_slugs.setdefault(project_id, []).append(slug)

    (profile,) = _records(Profile, User.objects.filter(pk=user.pk), target_role="target_role__slug")
    data_file = DataFile.model_construct(
        format=EXPORT_FORMAT,
        version=EXPORT_VERSION,
        exported_at=timezone.now(),
        profile=profile,
        target_role_history=_records(
            TargetRoleChoice,
            TargetRoleChange.objects.filter(user=user).order_by("chosen_at", "id"),
            role="role__slug",
        ),
        topic_states=_records(
            TopicStateRecord,
            TopicState.objects.for_user(user).order_by("topic__slug"),
            topic="topic__slug",
        ),
        topic_state_changes=_records(
            TopicStateChangeRecord,
            TopicStateChange.objects.filter(user=user).order_by(
                "changed_at", "topic__slug", "state", "id"
            ),
            topic="topic__slug",
        ),
        portfolio_projects=_records(
            PortfolioProjectRecord,
            PortfolioProject.objects.for_user(user).order_by("created_at", "title", "id"),
            idea="idea__slug",
            modules=lambda row: module_slugs.get(row["id"], []),
        ),
    )
    return data_file.model_dump(mode="json")
