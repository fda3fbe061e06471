"""The role map in Chromium: a learner changes a topic's state from the map with htmx and
without JavaScript, and the dashboard agrees; axe finds no WCAG 2.1 A/AA violation on
the maps in light and dark at 375 and 1280 px, and the Nu HTML Checker no error."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from learning.models import TopicState
from tests.browser.support import (
    DESKTOP,
    PHONE,
    axe_violations,
    demo_learner_create,
    nu_html_errors,
)
from tests.shipped_pack import shipped_pack_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "/roles/prompt-engineer/map/"
MODULE_MAP = "/learn/prompt-engineering/map/"


def first_next_up(page) -> str:
    """The slug of the first next-up topic on the map."""
    node_id = page.locator("a.map-node.is-next").first.get_attribute("id")
    return node_id.removeprefix("map-node-")


def dashboard_readiness(page) -> str:
    page.goto("/dashboard/")
    return page.get_by_test_id("readiness").inner_text().strip()


def test_a_learner_changes_a_state_from_the_map_and_the_dashboard_agrees(content, open_page):
    learner = demo_learner_create(email="ada@example.com")
    page = open_page(user=learner)
    page.goto(MAP)
    expect(page.get_by_role("heading", name="Map of the path to Prompt Engineer")).to_be_visible()
    slug = first_next_up(page)
    node = page.locator(f"#map-node-{slug}")
    expect(node).to_contain_text("→ Next up")

    # htmx: the node opens its state buttons beside the map; the focus follows.
    node.click()
    panel = page.locator("#map-panel")
    # app.js makes the state buttons one toolbar (a group without scripts).
    expect(panel.get_by_role("toolbar", name=re.compile("Your progress on"))).to_be_visible()
    expect(panel).to_be_focused()
    assert page.url.endswith(MAP)  # the page did not move: htmx swapped the panel in
    panel.get_by_role("button", name="Done", exact=True).click()
    expect(page.locator(f"#map-node-{slug}")).to_contain_text("✓ Done")
    expect(page.locator(f"#map-node-{slug}")).to_have_class(re.compile(r"\bstate-done\b"))
    expect(page.locator("#tick-status")).to_contain_text("Done")
    assert TopicState.objects.get(user=learner, topic__slug=slug).state == "done"
    on_map = page.get_by_test_id("map-readiness").inner_text().strip()
    assert dashboard_readiness(page) == on_map

    # Without JavaScript: "Change" in the steps opens the same buttons; the form posts and
    # comes back to the map.
    page = open_page(user=learner, java_script=False)
    page.goto(MAP)
    slug = first_next_up(page)
    page.get_by_role("link", name=re.compile(r"^Change your progress on ")).and_(
        page.locator(f"a[href$='?topic={slug}#map-panel']")
    ).click()
    expect(page).to_have_url(re.compile(rf"\?topic={slug}#map-panel$"))
    page.locator("#map-panel").get_by_role("button", name="Already know it").click()
    expect(page).to_have_url(re.compile(rf"{MAP}\?topic={slug}"))
    expect(page.locator(".messages")).to_contain_text("is now marked already know it")
    expect(page.locator(f"#map-node-{slug}")).to_contain_text("✓ Known")
    assert TopicState.objects.get(user=learner, topic__slug=slug).state == "skipped"
    on_map = page.get_by_test_id("map-readiness").inner_text().strip()
    assert dashboard_readiness(page) == on_map


def test_a_visitor_sees_the_map_without_states_and_an_invitation(content, open_page):
    page = open_page()
    page.goto(MAP)
    expect(page.locator("a.map-node").first).to_be_visible()
    assert page.locator(".map-node.is-next, .map-node.state-done").count() == 0
    expect(page.get_by_role("link", name="Sign up").last).to_be_visible()
    # Every node is a link to its topic page, in path order, reachable by keyboard.
    first = page.locator("a.map-node").first
    first.focus()
    expect(first).to_be_focused()
    first.press("Enter")
    expect(page).to_have_url(re.compile(r"/learn/[\w-]+/[\w-]+/$"))


def test_on_a_phone_the_steps_are_the_map(content, open_page):
    page = open_page(viewport=PHONE)
    page.goto(MAP)
    expect(page.locator(".map-svg")).to_be_hidden()
    expect(page.get_by_role("heading", name="Step 1", exact=True)).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_maps_meet_wcag_21_aa(content, open_page, axe_source, color_scheme, viewport):
    learner = demo_learner_create(email="ada@example.com")
    report = []
    for user in (None, learner):
        page = open_page(user=user, color_scheme=color_scheme, viewport=viewport)
        page.context.add_init_script(script=axe_source)
        for path in (MAP, MODULE_MAP, MAP + "?topic=prompt-patterns"):
            page.goto(path)
            for violation in axe_violations(page):
                report.append(f"{path} ({'signed in' if user else 'visitor'}): {violation['id']}")
                report.extend(f"    {node}" for node in violation["nodes"])
    assert not report, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(report)


def test_the_maps_are_valid_html(vnu_command, tmp_path):
    """The HTML is the same whatever the width and colour scheme (those are CSS)."""
    shipped_pack_load()
    ada = demo_learner_create(email="ada@example.com")
    visitor, learner = Client(), Client()
    learner.force_login(ada)
    responses = {
        "role map": visitor.get(MAP),
        "role map, signed in": learner.get(MAP),
        "role map, a topic chosen": learner.get(MAP + "?topic=prompt-patterns"),
        "module map, signed in": learner.get(MODULE_MAP),
    }
    assert {what: r.status_code for what, r in responses.items()} == dict.fromkeys(responses, 200)
    documents = {what: response.content for what, response in responses.items()}
    errors = nu_html_errors(vnu_command, tmp_path, documents)
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(errors)
