"""Journey 1 with the keyboard alone: Tab, Shift+Tab, Enter and Space, with the focus
visible at every stop and never lost after an htmx swap."""

import re

import pytest
from playwright.sync_api import expect

from learning.models import Topic
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.test_journeys import IDEA, IDEA_TITLE, MODULE, NOTE, NOTE_TOPIC, ROLE, TICKED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element, and whether something shows it: an outline or a box shadow.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    description: element.outerHTML.slice(0, 120),
    visible: outline || style.boxShadow !== "none",
  };
}"""


def focused(page) -> dict:
    state = page.evaluate(FOCUSED)
    assert state is not None, f"focus was lost on {page.url}"
    return state


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 200) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus,
    checking at every stop that the focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        stops.append(state["description"])
        assert state["visible"], f"focus not visible on {state['description']} at {page.url}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{key} never reached {selector} on {page.url}; stops: {stops}")


def focus_state(page, topic: str, state: str, *, backwards: bool = False) -> str:
    """Tab to the topic's state control (one stop), then arrow to the wanted button."""
    tab_to(page, f"#topic-{topic} [data-segmented] button[tabindex='0']", backwards=backwards)
    button = f"#state-{topic}-{state}"
    for _ in range(4):
        if page.evaluate("selector => document.activeElement.matches(selector)", button):
            return button
        page.keyboard.press("ArrowRight")
        assert focused(page)["visible"]
    raise AssertionError(f"the arrow keys never reached {button}")


def skip_to_main(page) -> None:
    """The first Tab reaches the skip link; Enter on it moves the focus to <main>."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert focused(page)["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_user_can_do_the_whole_newcomer_journey(content, open_page):
    page = open_page()
    email = "keys@example.com"
    module_topics = Topic.objects.active().filter(module__slug=MODULE).count()

    # Sign up: the form puts the focus in its first field (autofocus).
    page.goto("/accounts/signup/")
    expect(page.locator("#id_email")).to_be_focused()
    assert focused(page)["visible"]
    page.keyboard.type(email)
    tab_to(page, "#id_password1")
    page.keyboard.type(DEFAULT_PASSWORD)
    tab_to(page, "#id_password2")
    page.keyboard.type(DEFAULT_PASSWORD)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    # On to sign-in, the address filled in and the focus in the password field.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    # The onboarding, skipped from the keyboard.
    expect(page).to_have_url(re.compile(r"/welcome/(#main)?$"))
    skip_to_main(page)
    tab_to(page, "main a[href='/dashboard/']")  # Skip the rest
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/(#main)?$"))

    # Target role, with Space on the button.
    page.goto(f"/roles/{ROLE}/")
    skip_to_main(page)
    tab_to(page, "main form[action$='/target-role/'] button")
    page.keyboard.press("Space")
    expect(page.get_by_text("This is your target role")).to_be_visible()

    # Tick three topics: forward to the first and the third, back (Shift+Tab) to the second.
    page.goto(f"/learn/{MODULE}/")
    skip_to_main(page)
    summary = page.locator("#progress-summary")
    for count, (topic, backwards) in enumerate(
        [(TICKED[0], False), (TICKED[2], False), (TICKED[1], True)], start=1
    ):
        button = focus_state(page, topic, "done", backwards=backwards)
        page.keyboard.press("Space")
        expect(page.locator(button)).to_have_attribute("aria-pressed", "true")
        expect(summary).to_contain_text(f"{count} of {module_topics} topics")
        # The swap keeps the focus on the button just pressed, still visibly.
        expect(page.locator(button)).to_be_focused()
        assert focused(page)["visible"]

    # To the dashboard through the main navigation.
    tab_to(page, "a[href='/dashboard/']", backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/(#main)?$"))
    readiness = page.get_by_test_id("readiness").inner_text()
    assert readiness != "0%"

    # "Next up" works too; the row marked done stays where it was, marked, with the focus
    # on the button just pressed, and the status line says what changed.
    first = page.locator("section[aria-labelledby='next-heading'] .topic-row").first
    first_topic = first.get_attribute("id").removeprefix("topic-")
    rows_before = page.locator(
        "section[aria-labelledby='next-heading'] .topic-row h3"
    ).all_inner_texts()
    hours_before = page.locator("#readiness").inner_text()
    first_done = focus_state(page, first_topic, "done")
    page.keyboard.press("Space")
    expect(page.locator(first_done)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#readiness")).not_to_have_text(hours_before)
    expect(page.locator(first_done)).to_be_focused()
    assert focused(page)["visible"]
    expect(page.locator("#tick-status")).to_contain_text("Done · +")
    assert (
        page.locator("section[aria-labelledby='next-heading'] .topic-row h3").all_inner_texts()
        == rows_before
    )
    readiness = page.get_by_test_id("readiness").inner_text()

    # A note.
    page.goto(f"/learn/{MODULE}/{NOTE_TOPIC}/")
    skip_to_main(page)
    tab_to(page, "#note textarea")
    page.keyboard.type(NOTE)
    tab_to(page, "#note button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#note .prose")).to_have_text(NOTE)
    expect(page.locator("#note button[type=submit]")).to_be_focused()

    # A portfolio project from an idea, ticking one more skill with Space.
    page.goto(f"/projects/{IDEA}/")
    skip_to_main(page)
    tab_to(page, "main a[href*='/portfolio/new/']")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_have_value(IDEA_TITLE)
    skip_to_main(page)
    skill = "#" + page.locator("input[name=modules]:not(:checked)").first.get_attribute("id")
    tab_to(page, skill)
    page.keyboard.press("Space")
    expect(page.locator(skill)).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/portfolio/(#main)?$"))
    expect(page.get_by_role("heading", name=IDEA_TITLE)).to_be_visible()

    # Sign out from the header, sign back in from the navigation.
    tab_to(page, "header form[action$='/logout/'] button", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("You have signed out.")
    tab_to(page, "header a[href='/accounts/login/']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/(#main)?$"))
    expect(page.get_by_test_id("readiness")).to_have_text(readiness)
