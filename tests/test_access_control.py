"""Every URL in the project, for an anonymous visitor, a learner and a staff member:
allowed by design, redirected to sign in, or refused. A new URL pattern fails this test
until it is classified here."""

import pytest
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.signup import email_confirm_token
from accounts.weekly_email import unsubscribe_token
from careers.services import feed_token_create
from learning.checks import topic_check_start
from tests.careers.factories import RoleFactory
from tests.conftest import build_catalogue
from tests.learning.factories import PortfolioProjectFactory, ProjectIdeaFactory, QuestionFactory

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # 200 for everyone
SIGNED_IN = "signed-in"  # anonymous → sign in; learner and staff → 200
POST_ONLY = "post-only"  # GET → 405 for everyone; state changes need POST with CSRF
ANONYMOUS_FORM = "anonymous-form"  # a form for visitors; signed-in users are sent on
# anonymous → sign in; a learner with something to ask → 200, else on to the dashboard
ONBOARDING_STEP = "onboarding-step"
FEED = "feed"  # private by its token: 200 for the right token, 404 for any other, for anyone

EXPECTED = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "search": PUBLIC,
    "careers:role-list": PUBLIC,
    "careers:role-detail": PUBLIC,
    "careers:role-map": PUBLIC,  # a POST sets a state: a visitor is sent to sign in
    "careers:change-list": PUBLIC,
    "learning:module-list": PUBLIC,
    "learning:module-detail": PUBLIC,
    "learning:module-map": PUBLIC,
    "learning:topic-detail": PUBLIC,
    "learning:project-list": PUBLIC,
    "learning:project-detail": PUBLIC,
    "public-progress": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-done": PUBLIC,
    "accounts:password-reset-confirm": PUBLIC,
    "accounts:password-reset-complete": PUBLIC,
    "accounts:unsubscribe": PUBLIC,  # authorised by the signed token in its address
    "accounts:signup": ANONYMOUS_FORM,
    "accounts:email-confirm": PUBLIC,
    "careers:dashboard": SIGNED_IN,
    "learning:portfolio-list": SIGNED_IN,
    "learning:portfolio-create": SIGNED_IN,
    "learning:portfolio-edit": SIGNED_IN,
    "learning:portfolio-delete": SIGNED_IN,
    "accounts:password-change": SIGNED_IN,
    "accounts:password-change-done": SIGNED_IN,
    "accounts:settings": SIGNED_IN,
    "accounts:export": SIGNED_IN,
    "accounts:import": SIGNED_IN,
    "accounts:delete": SIGNED_IN,
    "accounts:onboarding-role": SIGNED_IN,
    "accounts:onboarding-pace": SIGNED_IN,
    "accounts:onboarding-known": ONBOARDING_STEP,
    "careers:plan": SIGNED_IN,
    "careers:plan-commit": POST_ONLY,
    "careers:plan-feed": FEED,
    "accounts:feed-create": POST_ONLY,
    "accounts:feed-revoke": POST_ONLY,
    "learning:topic-check": SIGNED_IN,
    "learning:module-check": SIGNED_IN,
    "learning:review": SIGNED_IN,
    "learning:check-attempt": SIGNED_IN,  # the learner's own; anyone else's is 404
    "learning:topic-state": POST_ONLY,
    "learning:topic-note": POST_ONLY,
    "accounts:logout": POST_ONLY,
    "accounts:target-role": POST_ONLY,
    "accounts:email-confirm-resend": POST_ONLY,
}


# RFC 8058's one-click unsubscribe is posted by mail clients, which hold no CSRF token; the
# signed token in the address authorises it, and it can only turn the weekly email off.
CSRF_EXEMPT = {"accounts:unsubscribe"}
# Objects of the learner's own, which every other user (staff included) gets 404 for.
OWNED = {"learning:portfolio-edit", "learning:portfolio-delete", "learning:check-attempt"}


def named_patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from named_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def people(learner):
    staff = type(learner).objects.create_user(
        email="staff@example.com", password="x-staff-passphrase", is_staff=True, is_superuser=True
    )
    learner.public_handle = "ada"
    learner.is_progress_public = True
    learner.save()
    return {"anonymous": None, "learner": learner, "staff": staff}


@pytest.fixture
def url_for(learner):
    content = build_catalogue(learner=learner)
    idea = ProjectIdeaFactory()
    project = PortfolioProjectFactory(user=learner)
    topic = content["topics"][0]
    QuestionFactory(topic=topic)
    attempt = topic_check_start(user=learner, topic=topic)
    kwargs = {
        "careers:role-detail": {"slug": content["roles"][0].slug},
        "careers:role-map": {"slug": content["roles"][0].slug},
        "learning:module-detail": {"module": topic.module.slug},
        "learning:module-map": {"module": topic.module.slug},
        "learning:topic-detail": {"module": topic.module.slug, "topic": topic.slug},
        "learning:topic-check": {"module": topic.module.slug, "topic": topic.slug},
        "learning:module-check": {"module": topic.module.slug},
        "learning:check-attempt": {"pk": attempt.pk},
        "learning:project-detail": {"slug": idea.slug},
        "learning:topic-state": {"topic": topic.slug},
        "learning:topic-note": {"topic": topic.slug},
        "learning:portfolio-edit": {"pk": project.pk},
        "learning:portfolio-delete": {"pk": project.pk},
        "public-progress": {"handle": "ada"},
        "accounts:onboarding-known": {"index": 1},
        "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "set-password"},
        "accounts:email-confirm": {"token": email_confirm_token(learner)},
        "careers:plan-feed": {"token": feed_token_create(user=learner)},
        "accounts:unsubscribe": {"token": unsubscribe_token(learner)},
    }
    return lambda name: reverse(name, kwargs=kwargs.get(name))


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_every_url_pattern_is_classified():
    assert set(named_patterns()) == set(EXPECTED)


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff"])
def test_every_url_answers_as_designed(people, url_for, who):
    client = client_for(people[who])
    for name, kind in EXPECTED.items():
        url = url_for(name)
        if who == "staff" and name in OWNED:
            # The staff member is another user: the learner's project or check is not theirs.
            assert client.get(url).status_code == 404, name
            continue
        response = client.get(url)
        if kind == PUBLIC:
            assert response.status_code == 200, (name, who, response.status_code)
        elif kind == SIGNED_IN:
            if who == "anonymous":
                assert response.status_code == 302, name
                # To sign in, and back to the very page afterwards.
                assert response.url == redirect_to_login(url).url, name
            else:
                assert response.status_code == 200, (name, who, response.status_code)
        elif kind == ONBOARDING_STEP:
            if who == "anonymous":
                assert response.url.startswith(reverse("accounts:login") + "?next="), name
            elif people[who].target_role_id:
                assert response.status_code == 200, (name, who, response.status_code)
            else:
                assert response.url == reverse("careers:dashboard"), (name, who)
        elif kind == ANONYMOUS_FORM:
            assert response.status_code == (200 if who == "anonymous" else 302), name
        elif kind == POST_ONLY:
            assert response.status_code == 405, (name, who, response.status_code)
        elif kind == FEED:
            assert response.status_code == 200, (name, who, response.status_code)
            wrong = reverse(name, kwargs={"token": "not-" + url.split("/")[-1]})
            assert client.get(wrong).status_code == 404, name


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff"])
def test_options_shows_no_page_and_never_fails(people, url_for, who):
    """Function views answer OPTIONS 405 (require_safe, require_POST); Django's class-based
    auth views 200 with an Allow header and an empty body; sign-in comes first where it is
    needed. The password-reset link is checked before the method, as Django does: a link
    that does not work shows that page (nothing private) for any method."""
    client = client_for(people[who])
    for name in EXPECTED:
        response = client.options(url_for(name))
        if name == "accounts:password-reset-confirm":
            assert response.status_code == 200 and "does not work" in response.text, who
            continue
        assert response.status_code in (200, 302, 405), (name, who, response.status_code)
        if response.status_code == 200:
            assert "OPTIONS" in response["Allow"] and response.content == b"", (name, who)
        elif response.status_code == 302:
            assert who == "anonymous", (name, response.url)
            assert response.url.startswith(reverse("accounts:login") + "?next="), name


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff"])
def test_every_state_change_needs_a_csrf_token(people, url_for, who):
    client = Client(enforce_csrf_checks=True)
    if people[who] is not None:
        client.force_login(people[who])
    for name in EXPECTED:
        if name in CSRF_EXEMPT:
            continue
        response = client.post(url_for(name), {"state": "done", "note": "x", "title": "x"})
        assert response.status_code in (403, 405), (name, who, response.status_code)


def test_another_learners_objects_are_404_for_every_method(learner, other_learner):
    project = PortfolioProjectFactory(user=learner, title="Mine")
    client = client_for(other_learner)
    attempt = topic_check_start(user=learner, topic=QuestionFactory().topic)
    for name, pk in [
        ("learning:portfolio-edit", project.pk),
        ("learning:portfolio-delete", project.pk),
        ("learning:check-attempt", attempt.pk),
    ]:
        url = reverse(name, args=[pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Theirs", "status": "done"}).status_code == 404
        for method in (client.put, client.patch, client.delete):
            assert method(url).status_code in (404, 405)
    project.refresh_from_db()
    assert project.title == "Mine"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_admin_is_staff_only(people, who):
    RoleFactory()
    client = client_for(people[who])
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_staff_reach_every_admin_list(people):
    client = client_for(people["staff"])
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_head_answers_wherever_get_does(people, url_for, who):
    client = client_for(people[who])
    for name in EXPECTED:
        if name in ("learning:portfolio-edit", "learning:portfolio-delete") and who != "learner":
            continue
        get = client.get(url_for(name))
        head = client.head(url_for(name))
        assert head.status_code == get.status_code, (name, who, head.status_code)
        assert head.content == b"", name


# Pages showing a learner's own data: everything a signed-in learner is served,
# including public pages (their name is in the header; module and topic pages show
# their states and notes).
def test_every_page_for_a_signed_in_learner_is_private_and_not_stored(people, url_for):
    client = client_for(people["learner"])
    for name, kind in EXPECTED.items():
        response = client.get(url_for(name))
        cache_control = response.headers.get("Cache-Control", "")
        assert "private" in cache_control, (name, kind, cache_control)
        assert "no-store" in cache_control, (name, kind, cache_control)
        assert "public" not in cache_control, name


def test_public_pages_for_visitors_stay_cacheable(url_for):
    client = Client()
    for name in [
        "home",
        "careers:role-list",
        "learning:module-detail",
        "learning:topic-detail",
        "careers:role-map",
        "learning:module-map",
    ]:
        assert "private" not in client.get(url_for(name)).headers.get("Cache-Control", ""), name
