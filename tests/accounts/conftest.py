import datetime as dt
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import timezone

from accounts.data_file.export import user_export
from accounts.models import TargetRoleChange, User
from learning.checks import attempt_submit, topic_check_start
from learning.models import (
    CheckAnswer,
    CheckAttempt,
    PortfolioProject,
    TopicState,
    TopicStateChange,
)
from tests.accounts.factories import TargetRoleChangeFactory
from tests.careers.factories import RoleFactory
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    ProjectIdeaFactory,
    QuestionFactory,
    TopicFactory,
    TopicStateFactory,
)


def learner_data_create(user, *, prefix: str) -> SimpleNamespace:
    """A learner with something in every section of the export."""
    start = timezone.now() - dt.timedelta(days=30)
    first_role = RoleFactory(title=f"{prefix} Prompt Engineer", slug=f"{prefix}-prompt-engineer")
    target = RoleFactory(title=f"{prefix} ML Engineer", slug=f"{prefix}-ml-engineer")
    TargetRoleChangeFactory(user=user, role=first_role, chosen_at=start)
    TargetRoleChangeFactory(user=user, role=target, chosen_at=start + dt.timedelta(days=1))
    user.target_role = target
    user.weekly_hours = 8
    user.public_handle = f"{prefix}-handle"
    user.is_progress_public = True
    user.save()

    module = ModuleFactory(slug=f"{prefix}-llm-basics")
    other_module = ModuleFactory(slug=f"{prefix}-evaluation")
    topics = [TopicFactory(module=module, slug=f"{prefix}-topic-{n}") for n in range(3)]
    TopicStateFactory(user=user, topic=topics[0], state="done", note=f"{prefix} read the paper")
    TopicStateFactory(user=user, topic=topics[1], state="learning")
    TopicStateFactory(user=user, topic=topics[2], state="skipped")
    TopicStateChange.objects.create(
        user=user, topic=topics[0], state="learning", changed_at=start + dt.timedelta(days=2)
    )
    TopicStateChange.objects.create(
        user=user, topic=topics[0], state="done", changed_at=start + dt.timedelta(days=3)
    )

    idea = ProjectIdeaFactory(slug=f"{prefix}-rag-chatbot")
    PortfolioProjectFactory(
        user=user,
        title=f"{prefix} RAG bot",
        idea=idea,
        modules=[module, other_module],
        status="done",
        repository_url="https://github.com/example/rag",
        demo_url="https://rag.example.com/",
        started_on=dt.date(2025, 1, 1),
        finished_on=dt.date(2025, 2, 1),
    )
    PortfolioProjectFactory(user=user, title=f"{prefix} Notes app", status="planned")

    # A passed topic check: an attempt with its answers, the topic verified and scheduled.
    for n in range(3):
        QuestionFactory(topic=topics[0], slug=f"{prefix}-question-{n}")
    attempt = topic_check_start(user=user, topic=topics[0], now=start + dt.timedelta(days=4))
    posted = QueryDict(mutable=True)
    for answer in attempt.answers.select_related("question"):
        right = answer.option_order.index(answer.question.correct_indexes[0])
        posted.setlist(f"answer-{answer.position}", [str(right)])
    attempt_submit(
        user=user, attempt_id=attempt.pk, posted=posted, now=start + dt.timedelta(days=4)
    )
    return SimpleNamespace(
        user=user,
        target=target,
        first_role=first_role,
        topics=topics,
        modules=[module, other_module],
        idea=idea,
    )


@pytest.fixture
def learner_data(learner):
    return learner_data_create(learner, prefix="ada")


@pytest.fixture
def other_learner_data(other_learner):
    return learner_data_create(other_learner, prefix="grace")


@pytest.fixture
def account_snapshot():
    """Everything a learner's account holds, plus every table's row count: two equal
    snapshots mean nothing changed anywhere."""

    def snapshot(user):
        data = user_export(user=user)
        del data["exported_at"]
        data["row_counts"] = {
            model.__name__: model.objects.count()
            for model in (
                User,
                TargetRoleChange,
                TopicState,
                TopicStateChange,
                PortfolioProject,
                CheckAttempt,
                CheckAnswer,
            )
        }
        return data

    return snapshot


class _PageChecker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1_count = 0
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.inline_scripts = 0
        self.style_attributes = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "h1":
            self.h1_count += 1
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(attrs)


@pytest.fixture
def page_problems():
    """Accessibility and CSP basics of one rendered page, as a list of problems."""

    def check(html: str) -> list[str]:
        checker = _PageChecker()
        checker.feed(html)
        problems = []
        if checker.h1_count != 1:
            problems.append(f"{checker.h1_count} <h1> elements")
        if checker.inline_scripts:
            problems.append("inline <script>")
        if checker.style_attributes or re.search(r"<style[\s>]", html):
            problems.append("inline style")
        for control in checker.controls:
            labelled = control.get("id") in checker.label_for or control.get("aria-label")
            if not labelled:
                problems.append(f"unlabelled control {control}")
        return problems

    return check
