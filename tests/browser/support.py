"""What the browser tests and the screenshot script share: where the tools are, how
Chromium is started, a watch that records everything that goes wrong in a page, and a
demo learner with progress on the real content pack."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]

# Debian's Chromium; the tests never download a browser of their own.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Installed from the npm registry by `make test` (see the Makefile's browser-tools target).
NPM_MODULES = BASE_DIR / ".tools" / "npm" / "node_modules"
AXE_JS = NPM_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NPM_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# The demo learner's password, for the tests and the screenshot script alike.
DEMO_PASSWORD = "correct-horse-battery-staple"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_launch(playwright):
    """Debian's Chromium, headless, with nothing phoning home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# Watching a page

HTTP_ERROR_LOGGED = "Failed to load resource: the server responded with a status of"

# Every Content-Security-Policy violation becomes a console error the watch records, also
# those Chromium reports only as a warning or an event (an init script is exempt from
# the page's policy).
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber} (${event.sample || ""})`);
});"""


@dataclass
class PageWatch:
    """Records every console error (Chromium reports Content-Security-Policy violations
    there), uncaught exception, failed request and HTTP error answer of a page, less the
    error answers a test said it expects."""

    problems: list[str] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)

    def attach(self, page) -> None:
        page.add_init_script(script=CSP_REPORTER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def expect_status(self, path: str, status: int) -> None:
        """An answer the test expects, such as 404 for another learner's project."""
        self.expected.add((path, status))

    def _console(self, message) -> None:
        # Chromium also logs each HTTP error answer; _response judges those.
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            self.problems.append(f"CSP: {message.text} ({message.location})")
        elif message.type == "error" and not message.text.startswith(HTTP_ERROR_LOGGED):
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _request_failed(self, request) -> None:
        # Chromium cancels a page's unfinished requests, the page itself included, when the
        # test navigates away (the admin's icons after "Save", a redirect still loading):
        # that is the browser's doing; a failure of ours shows as a status (`_response`).
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response) -> None:
        if response.status < 400:
            return
        if (urlsplit(response.url).path, response.status) in self.expected:
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


ANONYMOUS, LEARNER, NEWCOMER = "anonymous", "learner", "newcomer"

# Every page type the accessibility and HTML checks visit: (what, who looks, path, status).
# The learner is demo_learner_create(..., handle="ada"); the newcomer has done nothing yet.
PAGES = [
    ("home", ANONYMOUS, "/", 200),
    ("home, signed in", LEARNER, "/", 200),
    ("role list", LEARNER, "/roles/", 200),
    ("role", ANONYMOUS, "/roles/prompt-engineer/", 200),
    ("role, signed in", LEARNER, "/roles/prompt-engineer/", 200),
    ("module list", LEARNER, "/learn/", 200),
    ("module", ANONYMOUS, "/learn/prompt-engineering/", 200),
    ("module, signed in", LEARNER, "/learn/prompt-engineering/", 200),
    ("topic", ANONYMOUS, "/learn/prompt-engineering/prompt-patterns/", 200),
    ("topic, signed in", LEARNER, "/learn/prompt-engineering/prompt-patterns/", 200),
    ("project ideas", ANONYMOUS, "/projects/", 200),
    ("project idea", LEARNER, "/projects/rag-chatbot/", 200),
    ("search results", ANONYMOUS, "/search/?q=prompt", 200),
    ("search, nothing found", ANONYMOUS, "/search/?q=zzzzqqq", 200),
    ("sign up", ANONYMOUS, "/accounts/signup/", 200),
    ("sign up with an intent", ANONYMOUS, "/accounts/signup/?intent=target:prompt-engineer", 200),
    ("onboarding: role", NEWCOMER, "/accounts/welcome/", 200),
    ("onboarding: weekly hours", NEWCOMER, "/accounts/welcome/pace/", 200),
    ("onboarding: what you know", LEARNER, "/accounts/welcome/known/1/", 200),
    ("sign in", ANONYMOUS, "/accounts/login/", 200),
    ("password reset", ANONYMOUS, "/accounts/password/reset/", 200),
    ("dashboard, empty", NEWCOMER, "/dashboard/", 200),
    ("dashboard, with progress", LEARNER, "/dashboard/", 200),
    ("settings", LEARNER, "/accounts/settings/", 200),
    ("plan", LEARNER, "/plan/", 200),
    ("plan, no target", NEWCOMER, "/plan/", 200),
    ("unsubscribe, bad link", ANONYMOUS, "/accounts/unsubscribe/not-a-token/", 400),
    ("portfolio, empty", NEWCOMER, "/portfolio/", 200),
    ("portfolio", LEARNER, "/portfolio/", 200),
    ("portfolio form", LEARNER, "/portfolio/new/?idea=rag-chatbot", 200),
    ("public progress", ANONYMOUS, "/u/ada/", 200),
    ("topic check", LEARNER, "/learn/prompt-engineering/prompt-engineering-basics/check/", 200),
    (
        "topic check, another topic",
        LEARNER,
        "/learn/prompt-engineering/prompt-patterns/check/",
        200,
    ),
    ("module test-out", LEARNER, "/learn/prompt-engineering/test-out/", 200),
    ("review", LEARNER, "/review/", 200),
    ("not found", ANONYMOUS, "/no-such-page/", 404),
]


# axe-core, injected with `context.add_init_script(script=AXE_JS.read_text())`

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((violation) => ({
    id: violation.id,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map(
      (node) => node.target.join(" ") + ": " + node.failureSummary.replace(/\\s+/g, " ")
    ),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe-core finds in the page as it is now."""
    return page.evaluate(AXE_RUN, WCAG_TAGS)


# Demo data on the real content pack: one builder (accounts/demo.py), through the services


def demo_learner_create(*, email: str, display_name: str = "Ada", handle: str | None = None):
    from accounts.demo import demo_learner_build

    return demo_learner_build(
        email=email, display_name=display_name, handle=handle, password=DEMO_PASSWORD
    )


def session_cookie(user, base_url: str) -> dict:
    """A signed-in session for `user`, as a cookie for a Playwright browser context."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def nu_html_errors(vnu_command: list[str], folder: Path, documents: dict[str, bytes]) -> list[str]:
    """The Nu HTML Checker's errors in each document (named by its key in the report),
    each with the extract it points at; a checker that fails to run is an error too."""
    files = {}
    for index, (what, html) in enumerate(documents.items()):
        file = folder / f"document-{index:02d}.html"
        file.write_bytes(html)
        files[file.name] = what
    run = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *(str(folder / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [
        f"{files.get(m.get('url', '').rpartition('/')[2], m.get('url'))}, line "
        f"{m.get('lastLine')}: {m['message']}\n    {m.get('extract', '').strip()}"
        for m in json.loads(run.stdout)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    if not errors and run.returncode != 0:
        errors.append(f"the checker did not run: {run.stderr}")
    return errors
