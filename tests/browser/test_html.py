"""The Nu HTML Checker (vnu.jar) finds no error on any page type, forms with errors
included. All pages go to one Java run, to pay for the JVM's start once."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.weekly_email import weekly_digest, weekly_email_message
from learning.activity import week_start
from tests.accounts.factories import UserFactory
from tests.browser.support import (
    ANONYMOUS,
    LEARNER,
    NEWCOMER,
    PAGES,
    demo_learner_create,
    nu_html_errors,
)
from tests.shipped_pack import shipped_pack_load

pytestmark = pytest.mark.django_db

# Pages that only exist after a post: (what, who, path, form data, status).
POSTED = [
    ("sign up with errors", ANONYMOUS, "/accounts/signup/", {"email": "nope"}, 200),
    ("sign in with errors", ANONYMOUS, "/accounts/login/", {"username": "a@b.c"}, 200),
    ("settings with errors", LEARNER, "/accounts/settings/", {"weekly_hours": "0"}, 200),
    ("portfolio form with errors", LEARNER, "/portfolio/new/", {"title": ""}, 400),
]


def test_every_page_type_is_valid_html(vnu_command, tmp_path):
    shipped_pack_load()
    clients = {ANONYMOUS: Client(), LEARNER: Client(), NEWCOMER: Client()}
    ada = demo_learner_create(email="ada@example.com", handle="ada")
    clients[LEARNER].force_login(ada)
    clients[NEWCOMER].force_login(UserFactory(email="new@example.com"))

    documents = {}
    for what, who, path, status in PAGES:
        response = clients[who].get(path)
        assert response.status_code == status, (what, path, response.status_code)
        documents[f"{what} ({path})"] = response.content
    for what, who, path, data, status in POSTED:
        response = clients[who].post(path, data)
        assert response.status_code == status, (what, path, response.status_code)
        assert b'aria-invalid="true"' in response.content, what
        documents[f"{what} ({path})"] = response.content

    # The weekly email's HTML part is a document of its own.
    digest = weekly_digest(ada, week_start(timezone.localdate()))
    html_part = weekly_email_message(digest).alternatives[0].content
    documents["weekly email (HTML part)"] = html_part.encode()

    errors = nu_html_errors(vnu_command, tmp_path, documents)
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(errors)
