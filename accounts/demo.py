"""Demo learners on the shipped content pack, built through the same services a learner's
clicks go through. Used by `manage.py seed_demo`, `make screenshots`, the browser tests
and the bench, so all of them exercise the code users do."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import target_role_set
from careers.models import Role
from learning.forms import PortfolioProjectForm
from learning.models import Module, ProjectIdea, Topic
from learning.services import portfolio_project_save, topic_note_set, topic_state_set

DEMO_TARGET = "prompt-engineer"
# (topic slug, state, weeks ago it was set): spread over weeks so the chart shows a habit.
DEMO_PROGRESS = [
    ("introduction-to-generative-ai", "done", 6),
    ("problem-framing-for-ai", "done", 5),
    ("prompt-engineering-basics", "done", 4),
    ("zero-shot-and-few-shot-prompting", "done", 3),
    ("prompt-patterns", "done", 2),
    ("nlp-text-preprocessing", "skipped", 2),
    ("tokenization-for-language-models", "done", 1),
    ("identifying-generative-ai-use-cases", "done", 0),
    ("chain-of-thought-and-reasoning-prompts", "learning", 0),
]
DEMO_NOTE_TOPIC = "prompt-patterns"
DEMO_NOTE = "Persona + *question refinement* worked best on the support-ticket prompts."
DEMO_PROJECTS = [
    {
        "idea": "text-summarizer",
        "title": "Meeting-notes summariser",
        "description": "Summarises long meeting transcripts with a few-shot prompt and checks "
        "the summaries against a small hand-written test set.",
        "status": "done",
        "repository_url": "https://example.com/ada/summariser",
        "modules": ["prompt-engineering"],
        "weeks": (3, 1),
    },
    {
        "idea": "rag-chatbot",
        "title": "Chatbot over my course notes",
        "status": "planned",
        "modules": ["nlp-and-large-language-models"],
    },
]


@transaction.atomic
def demo_learner_build(
    *, email: str, password: str, display_name: str = "Ada", handle: str | None = None
) -> User:
    """A learner aiming at Prompt Engineer with progress over several weeks, a note, a
    finished and a planned portfolio project; public at /u/<handle>/ when a handle is
    given. Needs the shipped content pack loaded."""
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        weekly_hours=6,
        pace_chosen=True,
        public_handle=handle,
        is_progress_public=handle is not None,
    )
    target_role_set(user=user, role=Role.objects.get(slug=DEMO_TARGET))
    now = timezone.now()
    topics = Topic.objects.in_bulk([slug for slug, _, _ in DEMO_PROGRESS], field_name="slug")
    for slug, state, weeks_ago in DEMO_PROGRESS:
        when = now - dt.timedelta(weeks=weeks_ago, hours=1)
        topic_state_set(user=user, topic=topics[slug], state=state, at=when)
    topic_note_set(user=user, topic=topics[DEMO_NOTE_TOPIC], note=DEMO_NOTE)
    for project in DEMO_PROJECTS:
        data = {
            "title": project["title"],
            "description": project.get("description", ""),
            "status": project["status"],
            "repository_url": project.get("repository_url", ""),
            "modules": list(
                Module.objects.filter(slug__in=project["modules"]).values_list("pk", flat=True)
            ),
        }
        if "weeks" in project:
            started, finished = (now - dt.timedelta(weeks=w) for w in project["weeks"])
            data |= {"started_on": started.date(), "finished_on": finished.date()}
        form = PortfolioProjectForm(data)
        if not form.is_valid():
            raise ValueError(f"Demo project {project['title']!r}: {form.errors.as_text()}")
        form.instance.idea = ProjectIdea.objects.get(slug=project["idea"])
        portfolio_project_save(form=form, user=user)
    return user
