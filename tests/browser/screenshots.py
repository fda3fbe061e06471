"""PNG screenshots of the main pages, light and dark, 1280 and 375 px wide, into
docs/screenshots/ (`make screenshots`).

A temporary SQLite database gets the migrations, the content pack and a demo learner with
a few weeks of progress; the app is served from a thread of this process and Debian's
Chromium takes the pictures. A console error or a failed request stops the run.
"""

import io
import os
import sys
import tempfile
import threading
from pathlib import Path

from tests.browser.support import (
    BASE_DIR,
    CHROMIUM,
    PageWatch,
    chromium_launch,
    session_cookie,
)

OUT = BASE_DIR / "docs" / "screenshots"
# (file name, path, who is signed in, whole page on a desktop). "ada" is the demo learner;
# "newcomer" has just been through the onboarding (see newcomer_create).
PAGES = [
    ("home", "/", None, False),
    ("role", "/roles/prompt-engineer/", "ada", False),
    ("module", "/learn/prompt-engineering/", "ada", False),
    ("dashboard", "/dashboard/", "ada", True),
    ("role-map", "/roles/prompt-engineer/map/", "ada", False),
    ("signup-intent", "/accounts/signup/?intent=target:machine-learning-engineer", None, False),
    ("onboarding-role", "/accounts/welcome/", "newcomer", True),
    ("onboarding-pace", "/accounts/welcome/pace/", "newcomer", False),
    ("onboarding-known", "/accounts/welcome/known/1/", "newcomer", True),
    ("dashboard-after-onboarding", "/dashboard/", "newcomer", True),
    ("plan", "/plan/", "ada", True),
    ("check-start", "/learn/prompt-engineering/prompt-engineering-basics/check/", "ada", False),
    ("review", "/review/", "ada", False),
    ("settings", "/accounts/settings/", "ada", True),
]


def newcomer_create():
    """A learner just through the onboarding, as the onboarding's own writes leave them:
    Machine Learning Engineer as target, 10 h a week, two topics of the first core module
    known."""
    from accounts.models import User
    from accounts.services import target_role_set
    from careers.models import Role
    from careers.readiness import role_progress
    from learning.services import topic_state_set

    user = User.objects.create_user(email="new@example.com", display_name="Nia")
    role = Role.objects.get(slug="machine-learning-engineer")
    target_role_set(user=user, role=role)
    user.weekly_hours, user.pace_chosen = 10, True
    user.save(update_fields=["weekly_hours", "pace_chosen"])
    module = role_progress(user, role).core_modules[0].module
    for topic in module.topics.filter(is_archived=False).order_by("order")[:2]:
        topic_state_set(user=user, topic=topic, state="skipped")
    return user


VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 760}}
SCHEMES = ["light", "dark"]


def django_setup(database: Path) -> None:
    """Settings for a throw-away database served over plain HTTP on this machine."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_LOG_LEVEL="WARNING",
        # Playwright's sync API keeps an event loop in this thread.
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "screenshots-only-secret")
    os.environ.pop("REDIS_URL", None)  # this process's own memory cache

    import django
    from django.conf import settings

    django.setup()
    # Static files straight from static/, without collectstatic's hashed copies.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def serve() -> str:
    """Serve the app (and its static files) from a thread; returns the base URL."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main(names: list[str] | None = None) -> int:
    """Draw every page, or only those named (`python -m tests.browser.screenshots role-map`)."""
    pages = [page for page in PAGES if not names or page[0] in names]
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium).", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        django_setup(Path(folder) / "screenshots.sqlite3")
        from django.core.management import call_command
        from playwright.sync_api import sync_playwright

        from accounts.models import User

        call_command("migrate", verbosity=0)
        call_command("load_content", "content", stdout=io.StringIO())
        call_command("seed_demo", email="ada@example.com", handle="ada", stdout=io.StringIO())
        learner = User.objects.get(email="ada@example.com")
        newcomer = newcomer_create()
        base_url = serve()
        cookies = {
            "ada": session_cookie(learner, base_url),
            "newcomer": session_cookie(newcomer, base_url),
        }

        OUT.mkdir(parents=True, exist_ok=True)
        problems = []
        with sync_playwright() as playwright:
            browser = chromium_launch(playwright)
            for scheme in SCHEMES:
                for width, viewport in VIEWPORTS.items():
                    for name, path, who, whole in pages:
                        context = browser.new_context(
                            base_url=base_url, viewport=viewport, color_scheme=scheme
                        )
                        if who:
                            context.add_cookies([cookies[who]])
                        page = context.new_page()
                        watch = PageWatch()
                        watch.attach(page)
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        file = OUT / f"{name}-{width}-{scheme}.png"
                        page.screenshot(
                            path=file,
                            full_page=whole and width == "1280",
                            animations="disabled",
                            caret="hide",
                        )
                        problems += [f"{path} ({width} px, {scheme}): {p}" for p in watch.problems]
                        context.close()
                        print(f"{file.relative_to(BASE_DIR)}  {file.stat().st_size // 1024} KB")
            browser.close()
    if problems:
        print("The browser saw problems:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
