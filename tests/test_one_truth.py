"""One truth across processes: what one process writes, every other process shows at once.

The site runs as production runs it (tests/processes.py): two gunicorn workers on SQLite
without Redis, where the versions live in files the workers share; with REDIS_URL set,
two instances of two workers sharing PostgreSQL and Redis. Each page is loaded many times,
several at once and on every instance, so every worker has stored its own copy before the
change; the access logs show that every worker answered.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.processes import Browser, manage, running_site

RELOADS = 24
PASSWORD = "a-long-test-password-42"
SEED = """
from accounts.models import User
from careers.models import Role, RoleRequirement
from learning.models import Module, PortfolioProject, Topic

module = Module.objects.create(
    title="Foundations", slug="foundations", category="technical", summary="Basics."
)
for order, slug in enumerate(["first-steps", "second-steps"]):
    Topic.objects.create(
        module=module, title=slug.replace("-", " ").title(), slug=slug,
        description="A topic.", hours=10, level="beginner", order=order,
    )
for slug, title in [("prompt-engineer", "Prompt Engineer"), ("data-scientist", "Data Scientist")]:
    role = Role.objects.create(
        title=title, slug=slug, summary="A role.", description="A role.",
        focus="engineering", seniority="entry",
    )
    RoleRequirement.objects.create(role=role, module=module, importance="core")
user = User.objects.create_user(
    email="learner@example.com", password=PASSWORD,
    target_role=Role.objects.get(slug="prompt-engineer"),
)
PortfolioProject.objects.create(user=user, title="Chatbot for a library", status="planned")
"""


class Learner:
    """One signed-in browser whose requests go to every instance in turn."""

    def __init__(self, site):
        self.site = site
        self.browsers = [Browser(port) for port in site.ports]
        for browser in self.browsers[1:]:
            browser.cookies = self.browsers[0].cookies  # one session, every instance
        self._turn = 0

    def _next(self) -> Browser:
        self._turn += 1
        return self.browsers[self._turn % len(self.browsers)]

    def get(self, path: str) -> str:
        status, _, html = self._next().request("GET", path)
        assert status == 200, (path, status)
        return html

    def post(self, form_page: str, action: str, data: dict) -> None:
        browser = self._next()
        _, _, page = browser.request("GET", form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, _ = browser.request("POST", action, {**data, "csrfmiddlewaretoken": token})
        assert status in (200, 302), (action, status)

    def reloads(self, path: str) -> list[str]:
        """The page loaded many times, four at once, on every instance."""
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda _: self.get(path), range(RELOADS)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("one-truth")) as site:
        manage(site.env, "shell", stdin=f"PASSWORD = {PASSWORD!r}\n{SEED}")
        yield site


@pytest.fixture
def learner(site):
    learner = Learner(site)
    learner.post(
        "/accounts/login/",
        "/accounts/login/",
        {"username": "learner@example.com", "password": PASSWORD},
    )
    return learner


def every_worker_answered(site, path: str) -> bool:
    pids = {pid for pid, method, answered, _ in site.answers() if answered == path}
    return len(pids) == 2 * len(site.ports)


def readiness(html: str) -> str:
    return re.search(r'data-testid="readiness">(\d+)%', html).group(1)


def test_a_tick_shows_at_once_on_every_process(site, learner):
    before = {readiness(html) for html in learner.reloads("/dashboard/")}
    assert every_worker_answered(site, "/dashboard/")

    learner.post("/learn/foundations/", "/topics/first-steps/state/", {"state": "done"})

    after = {readiness(html) for html in learner.reloads("/dashboard/")}
    assert len(before) == 1 and len(after) == 1 and after != before


def test_a_note_and_a_target_change_show_at_once_everywhere(site, learner):
    topic_page = "/learn/foundations/second-steps/"
    assert not any("Remember the examples" in html for html in learner.reloads(topic_page))
    assert all("Prompt Engineer" in html for html in learner.reloads("/dashboard/"))

    learner.post(topic_page, "/topics/second-steps/note/", {"note": "Remember the examples"})
    learner.post("/roles/", "/accounts/target-role/", {"role": "data-scientist"})

    assert all("Remember the examples" in html for html in learner.reloads(topic_page))
    assert all("Data Scientist" in html for html in learner.reloads("/dashboard/"))


def test_a_deleted_project_leaves_every_process(site, learner):
    assert all("Chatbot for a library" in html for html in learner.reloads("/portfolio/"))
    edit = re.search(r'href="(/portfolio/\d+/)edit/"', learner.get("/portfolio/")).group(1)

    learner.post(f"{edit}delete/", f"{edit}delete/", {})

    # The list no longer links to it (the "was deleted" message still names it once).
    assert not any(f'href="{edit}edit/"' in html for html in learner.reloads("/portfolio/"))


def test_a_content_edit_in_another_process_shows_at_once(site, learner):
    assert all("Second Steps" in html for html in learner.reloads("/learn/foundations/"))

    # An editor's save in a process of its own (the admin's or a shell's), through signals.
    manage(
        site.env,
        "shell",
        stdin="from learning.models import Topic\n"
        "topic = Topic.objects.get(slug='second-steps')\n"
        "topic.title = 'Next Steps'\n"
        "topic.save()\n",
    )

    pages = learner.reloads("/learn/foundations/")
    assert all("Next Steps" in html and "Second Steps" not in html for html in pages)
