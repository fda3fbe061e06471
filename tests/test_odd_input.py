"""Odd input anywhere gives a clear 4xx, never a 500: requests for a host we do not
serve, and very long or strange values in every form."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.forms import PortfolioProjectForm
from tests.test_access_control import EXPECTED, people, url_for  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "learner"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_disallowed_host_gets_the_400_page_on_every_url(people, url_for, who, method):  # noqa: F811
    client = Client()
    if people[who] is not None:
        client.force_login(people[who])
    for name in [*EXPECTED, "admin:index"]:
        response = getattr(client, method)(url_for(name), HTTP_HOST="evil.example")
        assert response.status_code == 400, (name, response.status_code)
        assert "We could not understand that request" in response.content.decode(), name


def test_sign_in_with_a_50001_character_email_is_a_form_error(client):
    response = client.post(
        reverse("accounts:login"), {"username": "a" * 50_001, "password": "whatever"}
    )
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


ODD_TEXT = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        [
            "a" * 50_001,
            "@" * 50_001,
            "%" * 50_001,
            "\x00",
            "a\x00b",
            "😀" * 2_000,
            "‮reversed",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "http://host@evil.example/",
            "javascript:alert(1)",
            "-1",
            "99999999999999999999",
            "2024-02-30",
            "NaN",
            " ",
        ]
    ),
)
ODD_VALUE = st.one_of(
    ODD_TEXT, st.lists(ODD_TEXT, max_size=3), st.just([str(n) for n in range(1000)])
)

# Every form, with the names of its fields.
FORMS = {
    "accounts:signup": ("anonymous", ["email", "password1", "password2", "next"]),
    "accounts:login": ("anonymous", ["username", "password", "next"]),
    "accounts:password-reset": ("anonymous", ["email"]),
    "accounts:password-reset-confirm": ("anonymous", ["new_password1", "new_password2"]),
    "accounts:password-change": ("learner", ["old_password", "new_password1", "new_password2"]),
    "accounts:settings": (
        "learner",
        ["display_name", "target_role", "weekly_hours", "is_progress_public", "public_handle"],
    ),
    "accounts:target-role": ("learner", ["role", "next"]),
    "accounts:delete": ("learner", ["password"]),
    "accounts:import": ("learner", ["file"]),
    "accounts:email-confirm": ("anonymous", ["token"]),
    "accounts:email-confirm-resend": ("learner", ["next"]),
    "learning:topic-state": ("learner", ["state", "next", "view"]),
    "learning:topic-note": ("learner", ["note"]),
    "learning:portfolio-create": ("learner", [*PortfolioProjectForm.Meta.fields, "idea"]),
    "learning:portfolio-edit": (
        "learner",
        ["title", "description", "status", "repository_url", "demo_url", "modules"],
    ),
}


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_form_answers_odd_values_without_error(people, url_for, data):  # noqa: F811
    clients = {"anonymous": Client(), "learner": Client()}
    clients["learner"].force_login(people["learner"])
    for name, (who, fields) in FORMS.items():
        values = {field: data.draw(ODD_VALUE, label=f"{name} {field}") for field in fields}
        headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
        response = clients[who].post(url_for(name), values, **headers)
        assert response.status_code < 500, (name, response.status_code)
    search = data.draw(ODD_TEXT, label="q")
    assert clients["anonymous"].get(reverse("search"), {"q": search}).status_code < 500
