"""Checks in Chromium (issue 16): pass a topic check with and without JavaScript, fail one
and read the explanations, test out of a module, clear a review session a day late on a
fixed clock; the dashboard, role page and public page agree. Then axe-core (light and
dark, 375 and 1280 px) and the Nu HTML Checker on the question, result and review pages,
and the whole flow by keyboard."""

import datetime as dt
import json
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import CheckAnswer, CheckAttempt, Topic, TopicState
from learning.services import topic_note_set, topic_state_set
from tests.accounts.factories import UserFactory
from tests.browser.support import DESKTOP, PHONE, axe_violations, demo_learner_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODULE = "prompt-engineering"
TOPIC = "prompt-engineering-basics"
OTHER_TOPIC = "zero-shot-and-few-shot-prompting"


def attempt_on_page(page) -> CheckAttempt:
    pk = int(re.search(r"/checks/(\d+)/", page.url).group(1))
    return CheckAttempt.objects.get(pk=pk)


def answer(page, *, right=True, wrong_positions=()) -> CheckAttempt:
    """Tick an option for every question on the check page: the right one (read from the
    database, never from the page) unless told otherwise."""
    attempt = attempt_on_page(page)
    for row in CheckAnswer.objects.filter(attempt=attempt).select_related("question"):
        correct = set(row.question.correct_indexes)
        good = right and row.position not in wrong_positions
        shown = [p for p, index in enumerate(row.option_order) if (index in correct) == good]
        for position in shown if good else shown[:1]:
            page.locator(f'input[name="answer-{row.position}"][value="{position}"]').check()
    return attempt


def start_topic_check(page, topic_slug=TOPIC):
    topic = Topic.objects.get(slug=topic_slug)
    page.goto(f"/learn/{MODULE}/{topic_slug}/")
    page.get_by_role("link", name="Check what you know", exact=True).click()
    expect(page.get_by_role("heading", name=f"Check: {topic.title}")).to_be_visible()
    page.get_by_role("button", name="Start the check").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/$"))
    return topic


@pytest.mark.parametrize("java_script", [True, False], ids=["with-js", "without-js"])
def test_learner_passes_a_topic_check_and_every_figure_shows_it(content, open_page, java_script):
    learner = UserFactory(email="vera@example.com", public_handle="vera", is_progress_public=True)
    page = open_page(user=learner, java_script=java_script)
    topic = start_topic_check(page)
    # Nothing on the question page says which option is right.
    assert "right answer" not in page.content() and "Why:" not in page.content()

    answer(page)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_test_id("score")).to_contain_text("3 of 3")
    expect(page.get_by_test_id("outcome")).to_contain_text("is verified")
    expect(page.locator(".explanation")).to_have_count(3)
    state = TopicState.objects.get(user=learner, topic=topic)
    assert state.state == "done" and state.verified_at is not None

    page.goto(f"/learn/{MODULE}/")
    expect(page.locator(f"#topic-{TOPIC}")).to_contain_text("Verified")
    page.goto("/u/vera/")
    expect(page.get_by_test_id("verified-topics")).to_contain_text(topic.title)
    expect(page.get_by_test_id("verified-topics")).to_contain_text(
        timezone.localdate().strftime("%Y")
    )


def test_learner_fails_a_check_reads_why_and_waits_to_retake(content, open_page):
    learner = UserFactory(email="omar@example.com")
    topic_state_set(user=learner, topic=Topic.objects.get(slug=TOPIC), state="learning")
    page = open_page(user=learner)
    start_topic_check(page)

    answer(page, right=False)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_test_id("score")).to_contain_text("0 of 3")
    expect(page.get_by_test_id("outcome")).to_contain_text("Not verified this time")
    attempt = attempt_on_page(page)
    right_answers = sum(len(a.question.correct_indexes) for a in attempt.answers.all())
    expect(page.get_by_text("right answer")).to_have_count(right_answers)
    expect(page.locator(".question-wrong")).to_have_count(3)
    expect(page.get_by_test_id("resources")).to_be_visible()
    assert TopicState.objects.get(user=learner, topic__slug=TOPIC).state == "learning"

    page.goto(f"/learn/{MODULE}/{TOPIC}/check/")
    page.watch.expect_status(f"/learn/{MODULE}/{TOPIC}/check/", 429)
    page.get_by_role("button", name="Start the check").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("again in 10 minutes")


def test_learner_tests_out_of_a_module(content, open_page):
    learner = demo_learner_create(email="ada@example.com", handle="ada")
    page = open_page(user=learner)
    page.goto(f"/learn/{MODULE}/")
    page.get_by_role("link", name="Test out of this module").click()
    page.get_by_role("button", name="Start the test").click()
    attempt = attempt_on_page(page)
    missed = CheckAnswer.objects.get(attempt=attempt, position=0).question.topic

    answer(page, wrong_positions={0})
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_test_id("to-learn")).to_contain_text(missed.title)
    verified = page.get_by_test_id("verified-topics")
    expect(verified.locator("li")).to_have_count(attempt.total - 1)
    page.goto("/dashboard/")
    expect(page.get_by_test_id("done-verified")).to_contain_text(re.compile(r"\d+% verified"))
    assert "0% verified" not in page.get_by_test_id("done-verified").inner_text()
    dashboard_figure = page.get_by_test_id("done-verified").inner_text()
    page.goto("/roles/prompt-engineer/")
    expect(page.get_by_test_id("done-verified")).to_have_text(dashboard_figure)
    page.goto("/u/ada/")
    expect(page.get_by_test_id("done-verified")).to_contain_text(dashboard_figure)


def test_learner_clears_a_review_session_a_day_late(content, open_page, monkeypatch):
    clock = {"now": dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    learner = UserFactory(email="lin@example.com")
    for slug in (TOPIC, OTHER_TOPIC):
        topic = Topic.objects.get(slug=slug)
        topic_state_set(user=learner, topic=topic, state="done")
        topic_note_set(user=learner, topic=topic, note=f"My note on {slug}.")
    clock["now"] += dt.timedelta(days=4)  # due after three days; this is a day later

    page = open_page(user=learner, java_script=False)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Due for review (2)")).to_be_visible()
    page.get_by_role("link", name="Start a review").click()
    page.get_by_role("button", name="Start the review").click()
    answer(page)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_test_id("score")).to_contain_text("2 of 2")
    expect(page.get_by_text(f"My note on {TOPIC}.")).to_be_visible()
    expect(page.get_by_text(f"My note on {OTHER_TOPIC}.")).to_be_visible()
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Due for review (0)")).to_be_visible()
    due = set(TopicState.objects.filter(user=learner).values_list("review_due_on", flat=True))
    assert due == {dt.date(2026, 11, 13)}  # seven days after the review


def test_the_whole_check_works_by_keyboard(content, open_page):
    learner = UserFactory(email="kai@example.com")
    page = open_page(user=learner)
    page.goto(f"/learn/{MODULE}/{TOPIC}/check/")
    page.get_by_role("button", name="Start the check").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checks/\d+/$"))
    attempt = attempt_on_page(page)
    for row in CheckAnswer.objects.filter(attempt=attempt).select_related("question"):
        group = page.locator(f'input[name="answer-{row.position}"]')
        group.first.focus()
        wanted = [row.option_order.index(index) for index in row.question.correct_indexes]
        if row.question.is_multiple:
            # Checkboxes: Tab from one to the next, Space ticks.
            for position in range(len(row.option_order)):
                if position in wanted:
                    page.keyboard.press("Space")
                if position < len(row.option_order) - 1:
                    page.keyboard.press("Tab")
        else:
            # A radio group: Space selects, the arrow keys move the selection.
            page.keyboard.press("Space")
            for _ in range(wanted[0]):
                page.keyboard.press("ArrowDown")
        for position in wanted:
            expect(group.nth(position)).to_be_checked()
    page.get_by_role("button", name="Submit answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("score")).to_contain_text("3 of 3")


def submit(page) -> None:
    """Submit the check and wait for its result page to load."""
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_test_id("score")).to_be_visible()


def check_pages(page, learner) -> dict[str, str]:
    """Paths of a check, a passed and a failed result, a test-out result and a review
    session with its result, for the learner on `page`."""
    paths = {}
    start_topic_check(page)
    paths["check page"] = page.url
    answer(page)
    submit(page)
    paths["result, passed"] = page.url.split("#")[0]
    start_topic_check(page, OTHER_TOPIC)
    answer(page, right=False)
    submit(page)
    paths["result, failed"] = page.url.split("#")[0]
    page.goto(f"/learn/{MODULE}/test-out/")
    page.get_by_role("button", name="Start the test").click()
    answer(page, wrong_positions={0})
    submit(page)
    paths["test-out result"] = page.url.split("#")[0]
    TopicState.objects.filter(user=learner).update(review_due_on=dt.date(2000, 1, 1))
    topic_note_set(user=learner, topic=Topic.objects.get(slug=TOPIC), note="Show the format.")
    page.goto("/review/")
    page.get_by_role("button", name="Start the review").click()
    paths["review session"] = page.url
    answer(page, wrong_positions={0})
    submit(page)
    paths["review result"] = page.url.split("#")[0]
    return paths


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_check_pages_meet_wcag_21_aa(content, open_page, axe_source, color_scheme, viewport):
    learner = UserFactory(email="axe@example.com")
    page = open_page(user=learner, color_scheme=color_scheme, viewport=viewport)
    page.context.add_init_script(script=axe_source)
    paths = check_pages(page, learner)
    # The check page is gone once submitted: axe it with a fresh one.
    fresh = open_page(
        user=UserFactory(email="axe2@example.com"), color_scheme=color_scheme, viewport=viewport
    )
    fresh.context.add_init_script(script=axe_source)
    start_topic_check(fresh)
    report = [
        f"check page, unanswered: {v['id']}: {v['help']} {v['nodes']}"
        for v in axe_violations(fresh)
    ]
    for what, url in paths.items():
        if what in ("check page", "review session"):
            continue  # submitted by now: they show their results
        page.goto(url)
        report += [f"{what}: {v['id']}: {v['help']} {v['nodes']}" for v in axe_violations(page)]
    assert not report, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(report)
    if viewport == PHONE:
        page.goto(paths["result, failed"])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the result page scrolls sideways ({width}px)"


def test_check_pages_are_valid_html(content, open_page, vnu_command, tmp_path, live_server):
    from django.test import Client

    learner = UserFactory(email="nu@example.com")
    page = open_page(user=learner)
    paths = check_pages(page, learner)
    client = Client()
    client.force_login(learner)
    other = UserFactory(email="nu2@example.com")
    fresh = Client()
    fresh.force_login(other)
    from learning.checks import review_start, topic_check_start

    documents = {
        "check page": fresh.get(
            f"/checks/{topic_check_start(user=other, topic=Topic.objects.get(slug=TOPIC)).pk}/"
        ).content
    }
    topic_state_set(user=other, topic=Topic.objects.get(slug=TOPIC), state="done")
    TopicState.objects.filter(user=other).update(review_due_on=dt.date(2000, 1, 1))
    documents["review session"] = fresh.get(f"/checks/{review_start(user=other).pk}/").content
    for what, url in paths.items():
        path = url.replace(live_server.url, "")
        documents[what] = client.get(path).content
    for index, html in enumerate(documents.values()):
        (tmp_path / f"page-{index:02d}.html").write_bytes(html)
    run = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *map(str, tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [
        f"{m.get('url', '').rpartition('/')[2]} line {m.get('lastLine')}: {m['message']}"
        for m in json.loads(run.stdout)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(errors)
