"""Learners for the bench database, and a signed-in session for the load run.

Run with the bench database's settings (DATABASE_URL pointing at it)::

    python -m bench.seed learners   # 20 learners with topic states and portfolio projects
    python -m bench.seed session    # print JSON: a session cookie and the paths to drive

Models are imported inside the functions: Django is set up by `main()` first, and
bench.queries imports `session_create` after setting it up itself.
"""

import json
import os
import random
import sys
from datetime import timedelta

import django

LEARNERS = 20
STATES_PER_LEARNER = 3_000
PROJECTS_PER_LEARNER = 20
ATTEMPTS_PER_LEARNER = 500
ACTIVITY_WEEKS = 16
BATCH_SIZE = 1_000
PASSWORD = "bench-learner-password"
SEARCH_QUERY = "diffusion"


def learner_email(index: int) -> str:
    return f"learner{index:02d}@bench.example"


def learners_create(seed: int = 1) -> dict:
    """Create the learners with their topic states and portfolio projects in bulk;
    return how many of each were written."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from careers.models import Role
    from learning.models import Module, PortfolioProject, ProjectIdea, Topic, TopicState

    rng = random.Random(seed)
    now = timezone.now()
    roles = list(Role.objects.active().order_by("order").values_list("pk", flat=True))
    topics = list(Topic.objects.active().order_by("pk").values_list("pk", flat=True))
    modules = list(Module.objects.active().order_by("pk").values_list("pk", flat=True))
    ideas = list(ProjectIdea.objects.active().order_by("pk").values_list("pk", "title"))
    if not (roles and topics and modules and ideas):
        raise SystemExit("The bench database has no content; load the pack first.")
    password = make_password(PASSWORD)  # hashing is slow: once for everyone

    with transaction.atomic():
        User.objects.filter(email__endswith="@bench.example").delete()
        users = User.objects.bulk_create(
            User(
                email=learner_email(index),
                display_name=f"Bench learner {index}",
                password=password,
                target_role_id=roles[(index * 3) % len(roles)],
                weekly_hours=rng.randint(3, 20),
            )
            for index in range(LEARNERS)
        )
        if any(user.pk is None for user in users):  # backends that return no ids
            users = list(User.objects.filter(email__endswith="@bench.example").order_by("email"))

        def states():
            for user in users:
                for topic_id in rng.sample(topics, min(STATES_PER_LEARNER, len(topics))):
                    state = rng.choices(["done", "skipped", "learning"], weights=[6, 1, 3])[0]
                    changed_at = now - timedelta(seconds=rng.randrange(ACTIVITY_WEEKS * 7 * 86400))
                    yield TopicState(
                        user=user,
                        topic_id=topic_id,
                        state=state,
                        state_changed_at=changed_at,
                        completed_at=None if state == "learning" else changed_at,
                        # Some verified, some due for review, as months of use leave them.
                        verified_at=changed_at
                        if state != "learning" and rng.random() < 0.4
                        else None,
                        review_due_on=None
                        if state == "learning"
                        else (now + timedelta(days=rng.randint(-20, 60))).date(),
                    )

        TopicState.objects.bulk_create(states(), batch_size=BATCH_SIZE)

        projects = []
        for user in users:
            for index in range(PROJECTS_PER_LEARNER):
                idea_id, title = rng.choice(ideas)
                status = rng.choice(["planned", "in_progress", "done"])
                started = (now - timedelta(days=rng.randint(30, 200))).date()
                projects.append(
                    PortfolioProject(
                        user=user,
                        idea_id=idea_id,
                        title=f"{title} #{index}",
                        description=f"My take on {title}.\n\nWhat I built and what I learnt.",
                        status=status,
                        repository_url=f"https://example.com/{user.pk}/project-{index}",
                        started_on=started,
                        finished_on=started + timedelta(days=20) if status == "done" else None,
                    )
                )
        projects = PortfolioProject.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        if any(project.pk is None for project in projects):
            projects = list(PortfolioProject.objects.filter(user__in=users))
        through = PortfolioProject.modules.through
        through.objects.bulk_create(
            (
                through(portfolioproject_id=project.pk, module_id=module_id)
                for project in projects
                for module_id in rng.sample(modules, 3)
            ),
            batch_size=BATCH_SIZE,
        )
        attempts = checks_create(users, rng, now)
    return {
        "learners": len(users),
        "topic_states": TopicState.objects.filter(user__in=users).count(),
        "portfolio_projects": len(projects),
        "check_attempts": attempts,
    }


def checks_create(users, rng: random.Random, now) -> int:
    """ATTEMPTS_PER_LEARNER submitted topic checks of three questions per learner, over
    the last months (bulk: the history the check pages must not grow with)."""
    from learning.models import CheckAnswer, CheckAttempt, Question

    questions: dict[int, list[int]] = {}
    for pk, topic_id in Question.objects.order_by("pk").values_list("pk", "topic_id"):
        questions.setdefault(topic_id, []).append(pk)
    topic_ids = [topic_id for topic_id, pks in questions.items() if len(pks) >= 3]
    if not topic_ids:
        return 0
    attempts = []
    for user in users:
        for index in range(ATTEMPTS_PER_LEARNER):
            started = now - timedelta(days=120) + timedelta(minutes=index * 30)
            correct = rng.randint(0, 3)
            attempts.append(
                CheckAttempt(
                    user=user,
                    kind="topic",
                    topic_id=rng.choice(topic_ids),
                    started_at=started,
                    expires_at=started + timedelta(hours=1),
                    submitted_at=started + timedelta(minutes=5),
                    correct=correct,
                    total=3,
                )
            )
    attempts = CheckAttempt.objects.bulk_create(attempts, batch_size=BATCH_SIZE)
    if any(attempt.pk is None for attempt in attempts):
        attempts = list(CheckAttempt.objects.filter(user__in=users).order_by("pk"))

    def answers():
        for attempt in attempts:
            picked = rng.sample(questions[attempt.topic_id], 3)
            for position, question_id in enumerate(picked):
                yield CheckAnswer(
                    attempt_id=attempt.pk,
                    question_id=question_id,
                    position=position,
                    option_order=rng.sample(range(4), 4),
                    chosen=[rng.randrange(4)],
                    is_correct=position < attempt.correct,
                )

    CheckAnswer.objects.bulk_create(answers(), batch_size=BATCH_SIZE)
    return len(attempts)


def session_create(user) -> str:
    """A signed-in session for `user` in the configured session store; returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    model_backend = "django.contrib.auth.backends.ModelBackend"
    backends = settings.AUTHENTICATION_BACKENDS
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = model_backend if model_backend in backends else backends[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def targets() -> dict:
    """The signed-in learner's session and the paths the load run drives: the learner's
    target role, its first core module, a topic of it with prerequisites, and that
    module's topics for state changes."""
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import User
    from careers.models import RoleRequirement
    from careers.services import feed_token_create
    from learning.models import Topic

    user = User.objects.select_related("target_role").get(email=learner_email(0))
    requirement = (
        RoleRequirement.objects.filter(role=user.target_role, importance="core")
        .select_related("module")
        .order_by("module__order")
        .first()
    )
    module = requirement.module
    topics = list(Topic.objects.active().filter(module=module).order_by("order"))
    topic = topics[len(topics) // 2]
    check, result, review = check_attempts_open(user, topics)
    return {
        "email": user.email,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_key": session_create(user),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "topics_in_module": len(topics),
        "paths": {
            "healthz": reverse("healthz"),
            "home": reverse("home"),
            "roles": reverse("careers:role-list"),
            "role": user.target_role.get_absolute_url(),
            "module": module.get_absolute_url(),
            "topic": topic.get_absolute_url(),
            "search": f"{reverse('search')}?q={SEARCH_QUERY}",
            "dashboard": reverse("careers:dashboard"),
            "role-map": reverse("careers:role-map", args=[largest_path_role().slug]),
            "portfolio": reverse("learning:portfolio-list"),
            "plan": reverse("careers:plan"),
            "plan-feed": reverse("careers:plan-feed", args=[feed_token_create(user=user)]),
            "check": reverse("learning:check-attempt", args=[check.pk]),
            "check-result": reverse("learning:check-attempt", args=[result.pk]),
            "review": reverse("learning:check-attempt", args=[review.pk]),
            "topic_states": [
                reverse("learning:topic-state", kwargs={"topic": t.slug}) for t in topics
            ],
        },
    }


def largest_path_role():
    """The role whose path has the most topics (its map is the largest)."""
    from careers.models import Role
    from careers.path import role_paths

    paths = role_paths()
    return max(Role.objects.active(), key=lambda r: (len(paths.get(r.pk, ()).topics), -r.pk))


def check_attempts_open(user, topics):
    """For the learner: a check to answer, a submitted one to read, a review session to
    answer, made through the services the pages use (each valid for an hour)."""
    from django.http import QueryDict
    from django.utils import timezone

    from learning.checks import attempt_submit, review_start, topic_check_start
    from learning.models import CheckAttempt

    # A fresh start on every run: no open attempt taken up, no cooldown from the last run.
    CheckAttempt.objects.filter(user=user, submitted_at__isnull=True).delete()
    CheckAttempt.objects.filter(user=user, topic__in=topics[:2]).delete()
    later = timezone.now()
    check = topic_check_start(user=user, topic=topics[0], now=later)
    result = topic_check_start(user=user, topic=topics[1], now=later)
    posted = QueryDict(mutable=True)
    for answer in result.answers.all():
        posted.setlist(f"answer-{answer.position}", ["0"])
    attempt_submit(user=user, attempt_id=result.pk, posted=posted, now=later)
    review = review_start(user=user)
    return check, result, review


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    command = argv[0] if argv else ""
    if command == "learners":
        print(json.dumps(learners_create()))
    elif command == "session":
        print(json.dumps(targets()))
    else:
        raise SystemExit("usage: python -m bench.seed learners|session")


if __name__ == "__main__":
    main(sys.argv[1:])
