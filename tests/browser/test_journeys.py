"""The learner's and the editor's journeys, end to end in Chromium.

Every page a journey opens is watched: a console error (which is how Chromium reports a
Content-Security-Policy violation), an uncaught exception, a failed request or an HTTP
error the test did not expect fails the test (see the `open_page` fixture).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from careers.models import Role
from careers.readiness import next_up as readiness_next_up
from learning.models import PortfolioProject, Topic, TopicState
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.browser.support import DESKTOP, PHONE, demo_learner_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE = "prompt-engineer"
MODULE = "creative-and-critical-thinking"
# The first three topics of the module (core for the role).
TICKED = ["problem-framing-for-ai", "identifying-generative-ai-use-cases", "ai-assisted-creativity"]
NOTE_TOPIC = TICKED[0]
NOTE = "Start from the user's problem, not from the model."
IDEA = "rag-chatbot"
IDEA_TITLE = "Document Q&A chatbot with retrieval-augmented generation"


def sign_in_after_sign_up(page, email: str) -> None:
    """Sign-up answers every address alike and leads to sign-in, the address filled in;
    what the visitor was doing rides along to be done at sign-in."""
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def next_up(page) -> list[str]:
    return page.locator("section[aria-labelledby='next-heading'] .topic-row h3").all_inner_texts()


def server_next_up(email: str) -> list[str]:
    """The titles of the learner's next-up topics as the server computes them."""
    learner = User.objects.get(email=email)
    return [topic.title for topic in readiness_next_up(learner, learner.target_role)]


def state_button(page, topic: str, label: str):
    return page.locator(f"#topic-{topic}").get_by_role("button", name=label, exact=True)


def sign_in(page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".messages")).to_contain_text("You have signed out.")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def learner_core_path(page, *, java_script: bool) -> None:
    """Journey 1 (java_script=True) and 2: sign up, choose a target, tick topics, see the
    dashboard move, write a note, add a project from an idea, sign out and back in."""
    email = "newcomer@example.com"
    module_topics = Topic.objects.active().filter(module__slug=MODULE).count()

    # Sign up.
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Confirm password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Sign-up answers the same for every address; a new account is used by signing in.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    expect(page.locator(".messages")).to_contain_text("your account is ready")
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # The onboarding can wait: skip it.
    expect(page.get_by_text("step 1 of 3")).to_be_visible()
    page.get_by_role("link", name="Skip the rest").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Choose a target role to begin")).to_be_visible()

    # Pick the target role from its page.
    page.goto(f"/roles/{ROLE}/")
    page.get_by_role("button", name="Make this my target").click()
    expect(page.locator(".messages")).to_contain_text("Your target role is now Prompt Engineer")
    expect(page.get_by_text("This is your target role")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.get_by_test_id("readiness")).to_have_text("0%")
    next_before = next_up(page)
    # The dashboard's "Next up" is the path's: foundations that open the way first.
    assert next_before == server_next_up(email)

    # Tick three topics on the module page.
    page.goto(f"/learn/{MODULE}/")
    summary = page.locator("#progress-summary")
    expect(summary).to_contain_text(f"0 of {module_topics} topics")
    if java_script:
        page.evaluate("window.__marker = 1")
    for count, topic in enumerate(TICKED, start=1):
        summary_before = summary.inner_text()
        expect(state_button(page, topic, "Done")).to_have_attribute("aria-pressed", "false")
        state_button(page, topic, "Done").click()
        expect(state_button(page, topic, "Done")).to_have_attribute("aria-pressed", "true")
        expect(state_button(page, topic, "Not started")).to_have_attribute("aria-pressed", "false")
        expect(page.locator(f"#topic-{topic}")).to_have_attribute("data-state", "done")
        expect(summary).to_contain_text(f"{count} of {module_topics} topics")
        assert summary.inner_text() != summary_before
        if not java_script:
            # A plain form post, then a redirect back to the row.
            expect(page).to_have_url(re.compile(f"/learn/{MODULE}/#topic-{topic}$"))
            expect(page.locator(".messages")).to_contain_text("is now marked done")
    if java_script:
        # htmx swapped the row and the summary in place: the page never reloaded.
        assert page.evaluate("window.__marker") == 1
        expect(page.locator(".messages")).to_have_count(0)

    # The dashboard moved.
    page.goto("/dashboard/")
    readiness = page.get_by_test_id("readiness").inner_text()
    assert readiness != "0%"
    next_after = next_up(page)
    assert next_after == server_next_up(email)
    assert not {Topic.objects.get(slug=slug).title for slug in TICKED} & set(next_after)

    # A private note on a topic.
    page.goto(f"/learn/{MODULE}/{NOTE_TOPIC}/")
    if java_script:
        page.evaluate("window.__marker = 2")
    page.get_by_label("Write a note").fill(NOTE)
    page.get_by_role("button", name="Save note").click()
    note = page.locator("#note")
    expect(note.locator(".prose")).to_have_text(NOTE)
    expect(note.get_by_label("Edit your note")).to_have_value(NOTE)
    if java_script:
        expect(note.get_by_role("status")).to_have_text("Saved")
        assert page.evaluate("window.__marker") == 2
    else:
        expect(page.locator(".messages")).to_contain_text("Your note is saved.")

    # A portfolio project from a project idea.
    page.goto(f"/projects/{IDEA}/")
    page.get_by_role("link", name="Add to my portfolio").click()
    expect(page.get_by_label("Title")).to_have_value(IDEA_TITLE)
    page.get_by_role("button", name="Add to portfolio").click()
    expect(page).to_have_url(re.compile(r"/portfolio/$"))
    expect(page.locator(".messages")).to_contain_text("is in your portfolio")
    expect(page.get_by_role("heading", name=IDEA_TITLE)).to_be_visible()

    # Sign out, sign back in: everything is as it was.
    sign_out(page)
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
    sign_in(page, email)
    expect(page.get_by_test_id("readiness")).to_have_text(readiness)
    assert next_up(page) == next_after
    page.goto(f"/learn/{MODULE}/")
    for topic in TICKED:
        expect(state_button(page, topic, "Done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#progress-summary")).to_contain_text(
        f"{len(TICKED)} of {module_topics} topics"
    )
    page.goto(f"/learn/{MODULE}/{NOTE_TOPIC}/")
    expect(page.locator("#note .prose")).to_have_text(NOTE)
    page.goto("/portfolio/")
    expect(page.get_by_role("heading", name=IDEA_TITLE)).to_be_visible()


def test_newcomer_signs_up_learns_and_finds_everything_after_signing_back_in(content, open_page):
    learner_core_path(open_page(), java_script=True)


def test_core_path_works_without_javascript(content, open_page):
    learner_core_path(open_page(java_script=False), java_script=False)


def test_staff_title_edit_shows_at_once_and_keeps_learner_state(content, open_page):
    from learning.services import topic_note_set, topic_state_set

    topic = Topic.objects.get(slug=NOTE_TOPIC)
    learner = UserFactory(email="ada@example.com", display_name="Ada")
    topic_state_set(user=learner, topic=topic, state="done")
    topic_note_set(user=learner, topic=topic, note=NOTE)
    staff = UserFactory(email="editor@example.com", is_staff=True, is_superuser=True)
    new_title = "Framing the problem before reaching for AI"

    # The learner has seen the pages, so they sit in the content cache.
    learner_page = open_page(user=learner)
    learner_page.goto(topic.get_absolute_url())
    expect(learner_page.get_by_role("heading", level=1)).to_have_text(topic.title)
    learner_page.goto(f"/learn/{MODULE}/")
    expect(learner_page.locator(f"#topic-{topic.slug} h3")).to_have_text(topic.title)

    admin = open_page()
    admin.goto("/admin/")
    admin.get_by_label("Email address").fill(staff.email)
    admin.get_by_label("Password").fill(DEFAULT_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.goto(f"/admin/learning/topic/{topic.pk}/change/")
    title = admin.locator("#id_title")
    expect(title).to_have_value(topic.title)
    title.fill(new_title)
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")

    learner_page.goto(topic.get_absolute_url())
    expect(learner_page.get_by_role("heading", level=1)).to_have_text(new_title)
    expect(learner_page).to_have_title(re.compile(f"^{new_title} ·"))
    done = learner_page.locator(".topic-row").get_by_role("button", name="Done", exact=True)
    expect(done).to_have_attribute("aria-pressed", "true")
    expect(learner_page.locator("#note .prose")).to_have_text(NOTE)
    learner_page.goto(f"/learn/{MODULE}/")
    expect(learner_page.locator(f"#topic-{topic.slug} h3")).to_have_text(new_title)
    expect(state_button(learner_page, topic.slug, "Done")).to_have_attribute("aria-pressed", "true")


def test_learners_cannot_reach_each_others_data_and_public_page_needs_opt_in(content, open_page):
    ada = demo_learner_create(email="ada@example.com", display_name="Ada")
    ada_project = PortfolioProject.objects.filter(user=ada).order_by("pk").first()
    grace = UserFactory(email="grace@example.com", display_name="Grace")
    handle = "ada-learns"

    # Grace cannot open, edit or delete Ada's project.
    grace_page = open_page(user=grace)
    for action in ("edit", "delete"):
        path = f"/portfolio/{ada_project.pk}/{action}/"
        grace_page.watch.expect_status(path, 404)
        response = grace_page.goto(path)
        assert response.status == 404, path
        expect(grace_page.get_by_role("heading", level=1)).to_have_text(
            "We could not find that page"
        )
    grace_page.goto("/portfolio/")
    expect(grace_page.get_by_text("Your portfolio is empty.")).to_be_visible()
    expect(grace_page.get_by_text(ada_project.title)).to_have_count(0)
    token = next(c["value"] for c in grace_page.context.cookies() if c["name"] == "csrftoken")
    response = grace_page.request.post(
        f"/portfolio/{ada_project.pk}/delete/", headers={"X-CSRFToken": token}
    )
    assert response.status == 404
    assert PortfolioProject.objects.filter(pk=ada_project.pk).exists()

    # Grace's export holds Grace's data only.
    grace_page.goto("/accounts/settings/")
    with grace_page.expect_download() as download:
        grace_page.get_by_role("link", name="Download my data").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        data = json.load(exported)
    assert data["profile"]["email"] == grace.email
    assert data["portfolio_projects"] == []
    assert data["topic_states"] == []
    assert "ada" not in json.dumps(data).lower()

    # Ada's public page exists only while she opts in on the settings page.
    visitor = open_page()
    visitor.watch.expect_status(f"/u/{handle}/", 404)
    assert visitor.goto(f"/u/{handle}/").status == 404

    ada_page = open_page(user=ada)
    ada_page.goto("/accounts/settings/")
    ada_page.get_by_label("Public handle").fill(handle)
    ada_page.get_by_label("Show my progress on a public page").check()
    ada_page.get_by_role("button", name="Save settings").click()
    expect(ada_page.locator(".messages")).to_contain_text("Your settings are saved.")

    assert visitor.goto(f"/u/{handle}/").status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ada's path into Generative AI")
    expect(visitor.get_by_text("Meeting-notes summariser")).to_be_visible()
    expect(visitor.get_by_text("Chatbot over my course notes")).to_have_count(0)  # planned
    expect(visitor.locator("body")).not_to_contain_text("support-ticket")  # her note
    expect(visitor.locator("body")).not_to_contain_text(ada.email)

    ada_page.get_by_label("Show my progress on a public page").uncheck()
    ada_page.get_by_role("button", name="Save settings").click()
    expect(ada_page.locator(".messages")).to_contain_text("Your settings are saved.")
    assert visitor.goto(f"/u/{handle}/").status == 404


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_newcomer_path_from_an_intent_through_onboarding_to_a_first_dashboard(
    content, open_page, java_script, viewport
):
    """A visitor's "Make this my target" leads to a sign-up that says what it will save,
    which saves it; the onboarding confirms the role, asks the weekly hours and what they
    already know; the first dashboard shows their real figures."""
    role = Role.objects.get(slug="machine-learning-engineer")
    page = open_page(java_script=java_script, viewport=viewport)
    page.goto(f"/roles/{role.slug}/")
    page.get_by_role("button", name="Make this my target").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?"))
    expect(page.locator("main")).to_contain_text(
        "Create a free account to save Machine Learning Engineer as your target."
    )
    expect(page.get_by_role("link", name="Sign in", exact=True).last).to_have_attribute(
        "href", re.compile(r"intent=target%3Amachine-learning-engineer")
    )
    page.get_by_label("Email").fill("mle@example.com")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Confirm password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    sign_in_after_sign_up(page, "mle@example.com")
    expect(page.locator(".messages")).to_contain_text(
        "Your target role is now Machine Learning Engineer."
    )

    # Step 1: the role is already chosen.
    expect(page.get_by_text("step 1 of 3")).to_be_visible()
    expect(page.get_by_label("Machine Learning Engineer", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()
    # Step 2: the weekly hours.
    expect(page.get_by_text("step 2 of 3")).to_be_visible()
    page.get_by_role("radio", name=re.compile(r"10 h a week")).check()
    page.get_by_role("button", name="Save and continue").click()
    # Step 3: what they already know, one core module a screen.
    expect(page.get_by_text("step 3 of 3")).to_be_visible()
    known = page.locator("input[name=topics]")
    known.nth(0).check()
    known.nth(1).check()
    page.get_by_role("button", name=re.compile(r"^Save and")).click()
    expect(page.get_by_text("Core module 2 of")).to_be_visible()
    page.get_by_role("link", name="Skip the rest").click()

    # The first dashboard: real figures, a date at the chosen pace, nothing presumptuous.
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    readiness = page.get_by_test_id("readiness")
    expect(readiness).not_to_have_text("0%")
    expect(page.locator("#readiness")).to_contain_text("At 10 h a week you could be ready by")
    expect(page.locator("main")).not_to_contain_text("Everyone starts at 0%")
    user = User.objects.get(email="mle@example.com")
    assert TopicState.objects.filter(user=user, state="skipped").count() == 2
    assert (user.target_role_id, user.weekly_hours, user.pace_chosen) == (role.pk, 10, True)


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_visitors_tick_is_saved_by_sign_up(content, open_page, java_script):
    page = open_page(java_script=java_script, viewport=PHONE)
    page.goto(f"/learn/{MODULE}/")
    page.locator(".site-menu").evaluate("menu => menu.removeAttribute('open')")
    page.locator(f"#state-{TICKED[0]}-done").click()
    title = Topic.objects.get(slug=TICKED[0]).title
    expect(page.locator("main")).to_contain_text(
        f"Create a free account to mark “{title}” as done."
    )
    page.get_by_label("Email").fill("ticker@example.com")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Confirm password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    sign_in_after_sign_up(page, "ticker@example.com")
    expect(page.locator(".messages")).to_contain_text(f"“{title}” is now marked done.")
    page.get_by_role("link", name="Skip the rest").click()
    # Back where the tick was made, marked.
    expect(page).to_have_url(re.compile(f"/learn/{MODULE}/"))
    expect(page.locator(f"#state-{TICKED[0]}-done")).to_have_attribute("aria-pressed", "true")
