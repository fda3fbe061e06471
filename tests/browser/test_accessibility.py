"""axe-core on every page type, in light and dark colour schemes, on a phone and a desktop:
no violation of a WCAG 2.1 A or AA rule. Plus the text equivalents of the charts."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import (
    ANONYMOUS,
    DESKTOP,
    LEARNER,
    NEWCOMER,
    PAGES,
    PHONE,
    axe_violations,
    demo_learner_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_page_type_meets_wcag_21_aa(content, open_page, axe_source, color_scheme, viewport):
    people = {
        ANONYMOUS: None,
        LEARNER: demo_learner_create(email="ada@example.com", handle="ada"),
        NEWCOMER: UserFactory(email="new@example.com", display_name="Nia"),
    }
    pages = {}
    for who, user in people.items():
        pages[who] = open_page(user=user, color_scheme=color_scheme, viewport=viewport)
        # An init script is not subject to the page's Content-Security-Policy.
        pages[who].context.add_init_script(script=axe_source)

    report = []
    for what, who, path, status in PAGES:
        page = pages[who]
        page.watch.expect_status(path.split("?")[0], status)
        response = page.goto(path)
        assert response.status == status, (what, path, response.status)
        # Collapsed parts (the activity table) are checked too.
        page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
        for violation in axe_violations(page):
            report.append(f"{what} ({path}): {violation['id']}: {violation['help']}")
            report.extend(f"    {node}" for node in violation["nodes"])
    assert not report, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(report)


def test_charts_and_progress_bars_have_text_equivalents(content, open_page):
    learner = demo_learner_create(email="ada@example.com")
    page = open_page(user=learner)
    page.goto("/dashboard/")

    # Every progress bar has a name and a value a screen reader announces.
    bars = page.get_by_role("progressbar")
    assert bars.count() >= 4
    for index in range(bars.count()):
        bar = bars.nth(index)
        expect(bar).to_have_accessible_name(re.compile(r"\w"))
        assert bar.get_attribute("value") is not None
        expect(bar).to_have_text(re.compile(r"\d+%|\d+ of \d+ hours"))
    expect(page.get_by_role("progressbar", name="Readiness for Prompt Engineer")).to_have_text(
        page.get_by_test_id("readiness").inner_text()
    )

    # The activity chart is an image with a title, and a description that reads out every
    # week; the same figures are in a table.
    chart = page.get_by_role("img", name="Hours of topics done per week")
    expect(chart).to_have_accessible_description(re.compile(r"^(Week of \d+ \w+: \d+ h\. ?){12}$"))
    description = chart.locator("desc").text_content()
    weeks_with_hours = re.findall(r"Week of [^:]+: ([1-9]\d*) h", description)
    assert len(weeks_with_hours) >= 4
    page.get_by_text("Activity as a table").click()
    table = page.get_by_role("table", name="Hours done per week")
    expect(table.locator("tbody tr")).to_have_count(12)
    table_hours = [int(h) for h in table.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert [h for h in table_hours if h] == [int(h) for h in weeks_with_hours]

    # Module progress on the module list is labelled too.
    page.goto("/learn/")
    for bar in page.get_by_role("progressbar").all():
        expect(bar).to_have_accessible_name(re.compile(r"\d+ of \d+ h done"))
