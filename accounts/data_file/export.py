"""Everything we hold about a learner, as the data file `schema.DataFile` describes."""

from django.utils import timezone

from accounts.data_file.schema import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    CheckAttemptRecord,
    CheckQuestionRecord,
    DataFile,
    PortfolioProjectRecord,
    Profile,
    Record,
    TargetRoleChoice,
    TopicStateChangeRecord,
    TopicStateRecord,
    verification_seal,
)
from accounts.models import TargetRoleChange, User
from learning.models import (
    CheckAnswer,
    CheckAttempt,
    PortfolioProject,
    TopicState,
    TopicStateChange,
)


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
    """Everything we hold about the learner as JSON-ready data, in eight queries
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
            verification_seal=lambda row: verification_seal(
                email=user.email, topic=row["topic__slug"], verified_at=row["verified_at"]
            ),
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
    data_file.check_attempts = _check_attempts(user)
    return data_file.model_dump(mode="json")


def _check_attempts(user: User) -> list[CheckAttemptRecord]:
    """The learner's checks, oldest first, each with its questions in the order shown
    (two queries)."""
    questions: dict[int, list[CheckQuestionRecord]] = {}
    for attempt_id, slug, option_order, chosen in (
        CheckAnswer.objects.filter(attempt__user=user)
        .order_by("attempt_id", "position")
        .values_list("attempt_id", "question__slug", "option_order", "chosen")
    ):
        questions.setdefault(attempt_id, []).append(
            CheckQuestionRecord.model_construct(
                question=slug, option_order=option_order, chosen=chosen
            )
        )
    return _records(
        CheckAttemptRecord,
        CheckAttempt.objects.for_user(user).order_by("started_at", "id"),
        topic="topic__slug",
        module="module__slug",
        questions=lambda row: questions.get(row["id"], []),
    )
