"""The checks the other browser tests rely on do catch what they are meant to catch."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_page_watch_reports_csp_violations_and_unexpected_errors(content, open_page):
    page = open_page()
    page.goto("/")
    assert page.watch.problems == []

    # Inline style is refused by the site's Content-Security-Policy, and Chromium says so.
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_style_tag(content="body { color: red; }")
    page.evaluate("fetch('/no-such-thing/')")
    page.goto("/no-such-page/")
    page.wait_for_load_state("networkidle")
    problems = "\n".join(page.watch.problems)
    assert "Content Security Policy" in problems
    assert "HTTP 404: GET http://" in problems and "/no-such-thing/" in problems
    assert "/no-such-page/" in problems

    page.watch.problems.clear()
    page.watch.expect_status("/no-such-page/", 404)
    page.goto("/no-such-page/")
    assert page.watch.problems == []


def test_axe_reports_a_violation(content, open_page, axe_source):
    from tests.browser.support import axe_violations

    page = open_page()
    page.context.add_init_script(script=axe_source)
    page.goto("/")
    assert axe_violations(page) == []
    page.evaluate(
        "document.querySelector('main').append(Object.assign("
        "document.createElement('input'), {type: 'text'}))"
    )
    assert "label" in {violation["id"] for violation in axe_violations(page)}
