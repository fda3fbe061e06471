"""The controls look and behave finished: control borders reach 3:1 against what they sit
on in both colour schemes, the topic state control stays on one line on a phone, and it
is one Tab stop per topic with the arrow keys moving inside it."""

import re

import pytest
from playwright.sync_api import expect

from learning.models import Topic
from tests.accounts.factories import UserFactory
from tests.browser.support import PHONE
from tests.browser.test_journeys import MODULE, TICKED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every control, its border colour and the colour behind it (the nearest ancestor with
# an opaque background), as computed by the browser; then WCAG's contrast ratio.
BORDER_CONTRASTS = """(selector) => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const behind = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      const parts = rgb(colour);
      if (parts.length === 3 || parts[3] > 0) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  return [...document.querySelectorAll(selector)].filter((e) => e.offsetParent).map((element) => {
    const style = getComputedStyle(element);
    const border = style.borderTopColor, background = behind(element);
    const [a, b] = [luminance(rgb(border)), luminance(rgb(background))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    return {what: element.outerHTML.slice(0, 80), border, background, ratio};
  });
}"""
CONTROLS = "input:not([type=hidden], [type=checkbox], [type=radio]), select, textarea, .segmented"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_control_borders_reach_three_to_one(content, open_page, color_scheme):
    learner = UserFactory(email="ada@example.com")
    page = open_page(user=learner, color_scheme=color_scheme)
    measured = []
    for path in [f"/learn/{MODULE}/", "/accounts/settings/", f"/learn/{MODULE}/{TICKED[0]}/"]:
        page.goto(path)
        measured += page.evaluate(BORDER_CONTRASTS, CONTROLS)
    assert len(measured) > 10
    low = [m for m in measured if m["ratio"] < 3]
    assert not low, low


def test_state_control_stays_on_one_line_on_a_phone(content, open_page):
    learner = UserFactory(email="ada@example.com")
    page = open_page(user=learner, viewport=PHONE)
    page.goto(f"/learn/{MODULE}/")
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.segmented')].map((group) => {
          const buttons = [...group.querySelectorAll('button')];
          const tops = buttons.map((b) => b.getBoundingClientRect().top);
          const box = group.getBoundingClientRect();
          const overflow = group.scrollWidth - group.clientWidth;
          return {lines: new Set(tops).size, right: box.right, overflow};
        })"""
    )
    assert rows
    for row in rows:
        assert row["lines"] == 1, row
        assert row["overflow"] <= 0, row
        assert row["right"] <= PHONE["width"], row
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_not_started_is_neutral_and_done_shows_a_check(content, open_page):
    learner = UserFactory(email="ada@example.com")
    page = open_page(user=learner)
    page.goto(f"/learn/{MODULE}/")
    row = page.locator(f"#topic-{TICKED[0]}")
    not_started = row.get_by_role("button", name="Not started", exact=True)
    expect(not_started).to_have_attribute("aria-pressed", "true")
    # Neutral: not the accent colour the primary buttons use.
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
    )
    background = not_started.evaluate("b => getComputedStyle(b).backgroundColor")
    assert accent not in background
    assert background != page.locator(".header-search button").evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    expect(row.locator(".check")).to_be_hidden()
    row.get_by_role("button", name="Done", exact=True).click()
    expect(row.get_by_role("button", name="Done", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(row.locator(".check")).to_be_visible()
    expect(row.get_by_role("button", name="Already know it")).to_have_text("Know it")


def test_arrow_keys_move_within_a_topic_and_tab_moves_between_topics(content, open_page):
    learner = UserFactory(email="ada@example.com")
    page = open_page(user=learner)
    page.goto(f"/learn/{MODULE}/")
    first, second = TICKED[0], TICKED[1]
    page.locator(f"#state-{first}-not_started").focus()
    expect(page.locator(f"#topic-{first} [data-segmented]")).to_have_attribute("role", "toolbar")

    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#state-{first}-learning")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#state-{first}-done")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator(f"#state-{first}-skipped")).to_be_focused()
    page.keyboard.press("ArrowRight")  # wraps round
    expect(page.locator(f"#state-{first}-not_started")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#state-{first}-done")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#state-{first}-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#state-{first}-done")).to_be_focused()
    assert Topic.objects.get(slug=first).states.get(user=learner).state == "done"
    # Let the swap and its status line settle before moving on.
    expect(page.locator("#tick-status")).not_to_be_empty()
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling')")
    expect(page.locator(f"#state-{first}-done")).to_be_focused()

    # Tab leaves the control: the next stops are the next topic's links, then its control.
    links = []
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") != "A":
            break
        links.append(page.evaluate("document.activeElement.closest('.topic-row').id"))
    assert links and set(links) == {f"topic-{second}"}, links
    expect(page.locator(f"#state-{second}-not_started")).to_be_focused()
    # Shift+Tab from there goes back to a link, not through the other buttons.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_a_tick_says_what_changed_and_undo_takes_it_back_on_a_phone(content, open_page):
    from careers.models import Role

    learner = UserFactory(
        email="ada@example.com", target_role=Role.objects.get(slug="prompt-engineer")
    )
    page = open_page(user=learner, viewport=PHONE)
    page.goto(f"/learn/{MODULE}/")
    # Only the status line is a live region.
    assert page.locator("[aria-live]").count() == 0
    expect(page.locator("[role=status]")).to_have_count(1)
    strip = page.locator("#progress-strip")
    expect(strip).to_be_visible()
    expect(strip).to_contain_text("0 of")

    # The module's longest topic: enough hours to move readiness over the whole path by
    # a whole percent (a 4-hour topic is under 1% of Prompt Engineer's 401 h).
    from learning.models import Topic

    longest = Topic.objects.active().filter(module__slug=MODULE).order_by("-hours", "order")[0]
    page.locator(f"#state-{longest.slug}-done").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(re.compile(r"Done · \+\d+ h · readiness 0% → \d+%"))
    expect(strip).to_contain_text("1 of")
    # The strip stays at the top of the screen while the page scrolls.
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    assert abs(strip.bounding_box()["y"]) < 1

    status.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#state-{longest.slug}-not_started")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(status).to_contain_text("Not started · −")
    expect(strip).to_contain_text("0 of")


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_note_with_a_long_url_saves_without_csp_errors_and_fits_a_phone(
    content, open_page, java_script
):
    learner = UserFactory(email="ada@example.com")
    page = open_page(user=learner, viewport=PHONE, java_script=java_script)
    page.goto(f"/learn/{MODULE}/{TICKED[0]}/")
    note = page.get_by_label("Write a note")
    # The help text is what the field says describes it.
    expect(note).to_have_accessible_description("Markdown. Only you can see it.")
    long_url = "https://example.com/" + "a-very-long-path-segment-" * 12
    note.fill(f"Read **this**: {long_url} and <{long_url}>\n\n- one\n- two")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#note .prose a")).to_have_attribute("href", long_url)
    expect(page.locator("#note .prose li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(f"#state-{TICKED[0]}-skipped").bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    # The watch (see PageWatch) fails the test on any CSP violation the save caused.
