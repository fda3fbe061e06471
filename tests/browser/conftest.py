"""End-to-end tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without Chromium the browser tests are skipped with one line (on CI, where CI=true, they
fail instead). The accessibility and HTML checks need the npm tools that `make test`
installs, and Java for the Nu HTML Checker; without them those checks are skipped too,
except on CI.
"""

import pytest

from tests.browser import support
from tests.browser.support import (
    AXE_JS,
    DESKTOP,
    JAVA,
    VNU_JAR,
    PageWatch,
    chromium_launch,
    on_ci,
    session_cookie,
)


@pytest.fixture(scope="package", autouse=True)
def _database_access_beside_playwright():
    """Playwright's sync API keeps an asyncio event loop in the main thread, which trips
    Django's guard against database access from async code in the test's own thread
    (the test's own queries and pytest-django's flush after it). Lifted for the browser
    tests only, for as long as they run; every other test keeps the guard."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or support.CHROMIUM.exists():
        return
    no_chromium = f"Chromium not found at {support.CHROMIUM}"
    if on_ci():
        raise pytest.UsageError(f"{no_chromium}: CI must run the browser tests.")
    config.stash[_skipped_key] = (len(browser_items), no_chromium)
    skip = pytest.mark.skip(reason=no_chromium)
    for item in browser_items:
        item.add_marker(skip)


_skipped_key = pytest.StashKey[tuple[int, str]]()


def pytest_terminal_summary(terminalreporter, config):
    if skipped := config.stash.get(_skipped_key, None):
        count, reason = skipped
        terminalreporter.write_line(
            f"{count} browser tests skipped: {reason} (apt-get install chromium)."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_failed_key] = report.failed
    return report


_call_failed_key = pytest.StashKey[bool]()


def _tool_missing(reason: str):
    if on_ci():
        pytest.fail(f"{reason} (CI must run this check).")
    pytest.skip(reason)


# Fixtures


@pytest.fixture(scope="package")
def playwright():
    """Playwright for the browser tests only: its event loop stops when they end, so the
    tests after them run with Django's async guard in place again."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="package")
def browser(playwright):
    """Debian's Chromium for the browser tests."""
    browser = chromium_launch(playwright)
    yield browser
    browser.close()


@pytest.fixture
def content(transactional_db):
    """The real content pack, loaded for this test (about 0.3 s)."""
    from tests.shipped_pack import shipped_pack_load

    shipped_pack_load()


@pytest.fixture
def open_page(browser, live_server, request):
    """Open a page in a fresh browser context: `open_page(user=..., java_script=False,
    color_scheme="dark", viewport=PHONE)`. The page has a `watch` (see PageWatch); any
    problem it records fails the test when it ends."""
    contexts = []
    watches = []

    def open_page(*, user=None, java_script=True, color_scheme="light", viewport=DESKTOP, **kw):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=java_script,
            color_scheme=color_scheme,
            viewport=viewport,
            **kw,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        page.watch = PageWatch()
        page.watch.attach(page)
        watches.append(page.watch)
        return page

    yield open_page
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    if problems and not request.node.stash.get(_call_failed_key, False):
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        _tool_missing(f"axe-core not installed at {AXE_JS} (make test installs it with npm)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command():
    if not VNU_JAR.exists():
        _tool_missing(f"vnu-jar not installed at {VNU_JAR} (make test installs it with npm)")
    if JAVA is None:
        _tool_missing("java not found: the Nu HTML Checker needs a Java runtime")
    return [JAVA, "-Xss8m", "-jar", str(VNU_JAR)]
