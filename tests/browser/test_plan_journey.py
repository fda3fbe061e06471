"""The study plan's journey in Chromium: set weekly hours and time zone, see the plan change
after ticking a topic, copy the calendar feed's address, revoke it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import demo_learner_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_follows_settings_and_progress_and_the_feed_can_be_revoked(open_page):
    from tests.shipped_pack import shipped_pack_load

    shipped_pack_load()
    ada = demo_learner_create(email="ada@example.com")
    page = open_page(user=ada)

    page.goto("/accounts/settings/")
    page.get_by_label("Hours a week for learning").fill("20")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_label("Saturday").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Your settings are saved.")

    page.goto("/plan/")
    expect(page.locator(".page-head")).to_contain_text("at 20 h a week, weeks in Asia/Tokyo")
    weeks = page.get_by_test_id("plan-weeks")
    before = weeks.inner_text()
    tick = page.get_by_role("button", name=re.compile(r"^Mark “.+” done$")).first
    label = tick.get_attribute("aria-label") or tick.inner_text()
    title = re.match(r"Mark “(.+)” done", label).group(1)
    tick.click()
    expect(page).to_have_url(re.compile(r"/plan/"))
    expect(page.locator(".messages")).to_contain_text(f"“{title}” is now marked done")
    expect(weeks).not_to_have_text(before)
    expect(page.locator(".plan-week-current .plan-item-done").first).to_contain_text(title)

    page.goto("/accounts/settings/")
    page.get_by_role("button", name="Make a calendar address").click()
    feed_url = page.get_by_test_id("feed-url").input_value()
    assert re.fullmatch(r"http://[^/]+/plan/[A-Za-z0-9_-]{43}\.ics", feed_url)
    feed = page.request.get(feed_url)
    assert feed.status == 200 and "BEGIN:VEVENT" in feed.text()
    assert "TZID:Asia/Tokyo" in feed.text()

    page.get_by_role("button", name="Turn the feed off").click()
    expect(page.locator(".messages")).to_contain_text("Your calendar feed is turned off")
    assert page.request.get(feed_url).status == 404
