"""One truth across processes: what one process writes, every other process shows at once.

The site runs as real servers here (gunicorn, production settings) against a database of
their own: two workers on SQLite without Redis, where the versions live in files the
workers share; and, when the suite runs on PostgreSQL with Redis, two separate instances
sharing both. Pages are loaded many times, several at once, so every process answers and
has stored its own copy of the page before the change.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.database import BenchDatabase
from bench.server import Gunicorn

ROOT = Path(__file__).resolve().parent.parent
RELOADS = 24
PASSWORD = "a-long-test-password-42"

SEED = """
from accounts.models import User
from careers.models import Role, RoleRequirement
from learning.models import Module, PortfolioProject, Topic

module = Module.objects.create(title="Foundations", slug="foundations", category="technical",
                               summary="Basics.")
for order, slug in enumerate(["first-steps", "second-steps"]):
    Topic.objects.create(module=module, title=slug.replace("-", " ").title(), slug=slug,
                         description="A topic.", hours=10, level="beginner", order=order)
for slug, title in [("prompt-engineer", "Prompt Engineer"), ("data-scientist", "Data Scientist")]:
    role = Role.objects.create(title=title, slug=slug, summary="A role.", description="A role.",
                               focus="engineering", seniority="entry")
    RoleRequirement.objects.create(role=role, module=module, importance="core")
user = User.objects.create_user(email="learner@example.com", password=PASSWORD,
                                target_role=Role.objects.get(slug="prompt-engineer"))
PortfolioProject.objects.create(user=user, title="Chatbot for a library", status="planned")
"""


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _site_env(database: BenchDatabase, tmp_path: Path, redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="processes-test-secret-key-not-for-production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database.url,
        DJANGO_VERSIONS_DIR=str(tmp_path / "versions"),
        DJANGO_CACHE_PREFIX=f"processes-{os.getpid()}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        PYTHONUNBUFFERED="1",
    )
    if redis:
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


def _manage(env, *args, stdin=None):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


class Browser:
    """A signed-in visitor whose requests go to any of the servers, round-robin."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self._turn = 0

    def url(self, path: str) -> str:
        self._turn += 1
        return f"http://127.0.0.1:{self.ports[self._turn % len(self.ports)]}{path}"

    def get(self, path: str) -> str:
        with self.opener.open(self.url(path), timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, form_page: str) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(form_page))
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        with self.opener.open(self.url(path), data=body, timeout=30) as response:
            return response.read().decode()

    def reloads(self, path: str) -> list[str]:
        """The page loaded many times, four at once."""
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda _: self.get(path), range(RELOADS)))


@pytest.fixture(params=["sqlite-two-workers", "postgres-redis-two-instances"])
def site(request, tmp_path):
    if request.param.startswith("postgres"):
        url = _postgres_url()
        if not (url and os.environ.get("REDIS_URL")):
            pytest.skip("needs DATABASE_URL=postgres://… and REDIS_URL (the CI's second pass)")
        parts = urlsplit(url)
        name = f"processes_{os.getpid()}"
        database = BenchDatabase(
            vendor="postgresql",
            url=urlunsplit(parts._replace(path=f"/{name}")),
            name=name,
            admin_url=urlunsplit(parts._replace(scheme="postgresql")),
        )
        env, servers = _site_env(database, tmp_path, redis=True), [1, 1]
    else:
        path = tmp_path / "site.sqlite3"
        database = BenchDatabase(vendor="sqlite", url=f"sqlite:///{path}", name=str(path))
        env, servers = _site_env(database, tmp_path, redis=False), [2]
    database.create()
    try:
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        _manage(env, "migrate", "--noinput")
        _manage(env, "shell", stdin=f"PASSWORD = {PASSWORD!r}\n{SEED}")
        with ExitStack() as stack:
            running = [
                stack.enter_context(
                    Gunicorn(env=env, cwd=ROOT, log_path=tmp_path / f"gunicorn-{i}.log", workers=w)
                )
                for i, w in enumerate(servers)
            ]
            browser = Browser([server.port for server in running])
            browser.post(
                "/accounts/login/",
                {"username": "learner@example.com", "password": PASSWORD},
                form_page="/accounts/login/",
            )
            yield browser, env
    finally:
        database.drop()


def readiness(html: str) -> str:
    return re.search(r'data-testid="readiness">(\d+)%', html).group(1)


pytestmark = pytest.mark.processes


def test_a_tick_shows_at_once_on_every_process(site):
    browser, _ = site
    assert {readiness(html) for html in browser.reloads("/dashboard/")} == {"0"}

    browser.post("/topics/first-steps/state/", {"state": "done"}, form_page="/learn/foundations/")

    assert {readiness(html) for html in browser.reloads("/dashboard/")} == {"50"}


def test_a_note_and_a_target_change_show_at_once_everywhere(site):
    browser, _ = site
    topic_page = "/learn/foundations/first-steps/"
    assert not any("Remember the examples" in html for html in browser.reloads(topic_page))
    assert all("Prompt Engineer" in html for html in browser.reloads("/dashboard/"))

    browser.post(
        "/topics/first-steps/note/", {"note": "Remember the examples"}, form_page=topic_page
    )
    browser.post("/accounts/target-role/", {"role": "data-scientist"}, form_page="/roles/")

    assert all("Remember the examples" in html for html in browser.reloads(topic_page))
    assert all(
        re.search(r"Data Scientist", html) and "Your target role is Prompt" not in html
        for html in browser.reloads("/dashboard/")
    )


def test_a_deleted_project_leaves_every_process(site):
    browser, env = site
    assert all("Chatbot for a library" in html for html in browser.reloads("/portfolio/"))
    edit = re.search(r'href="(/portfolio/\d+/)edit/"', browser.get("/portfolio/")).group(1)

    browser.post(f"{edit}delete/", {}, form_page=f"{edit}delete/")

    assert not any("Chatbot for a library" in html for html in browser.reloads("/portfolio/"))


def test_a_content_edit_in_another_process_shows_at_once(site):
    browser, env = site
    assert all("First Steps" in html for html in browser.reloads("/learn/foundations/"))

    # An editor's save, in a process of its own (the admin or a shell), with signals.
    _manage(
        env,
        "shell",
        stdin="from learning.models import Topic\n"
        "topic = Topic.objects.get(slug='first-steps')\n"
        "topic.title = 'Very First Steps'\n"
        "topic.save()\n",
    )

    pages = browser.reloads("/learn/foundations/")
    assert all("Very First Steps" in html for html in pages)
