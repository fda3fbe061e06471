"""Every form on the site is rendered by one field template, and assistive technology
can find each field's help and errors: every id an `aria-describedby` names exists on
the page, and every help or error text is named by its field."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.learning.factories import PortfolioProjectFactory, ProjectIdeaFactory, TopicFactory

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described_by, self.help_and_errors = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.append((tag, attrs.get("name"), attrs["aria-describedby"].split()))
        classes = set((attrs.get("class") or "").split())
        # A field's help text or error list; errors not tied to a field are exempt.
        if classes & {"help", "errorlist"} and "nonfield" not in classes:
            self.help_and_errors.append(attrs.get("id"))


def check_fields(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    problems = [
        f"{tag} {name}: aria-describedby names missing id {ref!r}"
        for tag, name, refs in parser.described_by
        for ref in refs
        if ref not in parser.ids
    ]
    named = {ref for _, _, refs in parser.described_by for ref in refs}
    for help_id in parser.help_and_errors:
        if help_id is None:
            problems.append("a help or error text without an id no field can point at")
        elif help_id not in named:
            problems.append(f"help or error {help_id!r} is not named by its field")
    return problems


def form_pages(learner):
    topic = TopicFactory()
    idea = ProjectIdeaFactory()
    project = PortfolioProjectFactory(user=learner)
    return {
        "anonymous": [
            reverse("accounts:signup"),
            reverse("accounts:login"),
            reverse("accounts:password-reset"),
        ],
        "learner": [
            reverse("accounts:settings"),
            reverse("accounts:password-change"),
            reverse("accounts:import"),
            reverse("accounts:delete"),
            reverse("learning:portfolio-create") + f"?idea={idea.slug}",
            reverse("learning:portfolio-edit", args=[project.pk]),
            topic.get_absolute_url(),
        ],
    }


def test_every_form_links_its_help_and_errors(learner_client, learner):
    pages = form_pages(learner)
    problems = {}
    for who, urls in pages.items():
        browser = Client() if who == "anonymous" else learner_client
        for url in urls:
            html = browser.get(url).content.decode()
            assert "<form" in html, url
            if found := check_fields(html):
                problems[url] = found
    assert problems == {}


def _posted_with_errors(browser, url, data) -> str:
    response = browser.post(url, data)
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    return html


def test_sign_up_errors_are_linked_to_their_fields(client):
    data = {"email": "not-an-email", "password1": "x", "password2": "y"}
    assert check_fields(_posted_with_errors(client, reverse("accounts:signup"), data)) == []


def test_portfolio_errors_are_linked_to_their_fields(learner_client):
    data = {"title": "", "repository_url": "ftp://nope"}
    url = reverse("learning:portfolio-create")
    assert check_fields(_posted_with_errors(learner_client, url, data)) == []
