"""The phone layout: a header under 64 px that folds the navigation into a menu (a
<details> disclosure, so it works without JavaScript) with tap targets of at least 44 px,
and the learner's card right after the title on role and module pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP_TARGETS = """() => [...document.querySelectorAll(
  '.site-header a, .site-header button, .site-header summary, .site-header input'
)].filter((e) => e.offsetParent).map((e) => {
  const box = e.getBoundingClientRect();
  return {what: e.outerHTML.slice(0, 60), height: box.height, width: box.width};
})"""


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "learner"])
def test_phone_header_is_short_and_its_menu_has_big_tap_targets(
    content, open_page, java_script, signed_in
):
    user = UserFactory(email="ada@example.com") if signed_in else None
    page = open_page(user=user, viewport=PHONE, java_script=java_script)
    page.goto("/learn/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 64
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.locator(".site-menu summary").click()
    expect(nav).to_be_visible()
    targets = page.evaluate(TAP_TARGETS)
    assert len(targets) >= 6
    small = [t for t in targets if t["height"] < 44]
    assert not small, small
    nav.get_by_role("link", name="Roles").click()
    expect(page).to_have_url(re.compile(r"/roles/$"))


def test_desktop_header_shows_the_navigation_without_a_menu(content, open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".site-menu summary")).to_be_hidden()
    expect(page.get_by_role("searchbox")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "card"),
    [
        ("/roles/machine-learning-engineer/", "main form[action$='/target-role/'] button"),
        ("/learn/prompt-engineering/", "#progress-summary"),
    ],
)
def test_learner_card_comes_right_after_the_title_on_a_phone(content, open_page, path, card):
    page = open_page(user=UserFactory(email="ada@example.com"), viewport=PHONE)
    page.goto(path)
    title = page.get_by_role("heading", level=1).bounding_box()
    box = page.locator(card).bounding_box()
    assert box["y"] > title["y"]
    assert box["y"] + box["height"] < PHONE["height"], box
    # On a desktop it sits in the side column, beside the main column.
    page.set_viewport_size(DESKTOP)
    assert page.locator(card).bounding_box()["x"] > DESKTOP["width"] / 2
