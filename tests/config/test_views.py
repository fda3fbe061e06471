import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unavailable_database_with_503(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken_execute(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken_execute)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_unknown_page_gets_friendly_404_in_base_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'id="main"' in html
    assert "Skip to main content" in html


def test_csrf_failure_gets_friendly_403(db):
    from django.test import Client

    strict_client = Client(enforce_csrf_checks=True)
    response = strict_client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "That form had expired" in response.content.decode()


def test_server_error_page_renders_without_database(client, django_assert_num_queries):
    from common.views import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@override_settings(DEBUG=False)
def test_400_and_403_handlers_use_base_layout(rf):
    from django.contrib.auth.models import AnonymousUser

    from common.views import bad_request, permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    assert "We could not understand that request" in bad_request(request).content.decode()
    denied = permission_denied(request)
    assert denied.status_code == 403
    assert "You do not have access" in denied.content.decode()


def test_custom_user_model_signs_in_with_email():
    from django.contrib.auth import get_user_model

    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    user = User.objects.create_user(email="Someone@Example.com", password="a-long-passphrase")
    assert user.email == "someone@example.com"
    assert User.objects.get_by_natural_key("SOMEONE@example.com") == user


def test_pages_send_csp_and_security_headers(client):
    response = client.get(reverse("healthz"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response, what):
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (what, header)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, what
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy, (what, policy)


def test_every_kind_of_answer_carries_the_security_headers(learner_client, catalogue):
    content = catalogue()
    topic = content["topics"][0]
    anonymous = Client()
    answers = {
        "healthz": anonymous.get(reverse("healthz")),
        "HEAD healthz": anonymous.head(reverse("healthz")),
        "public page": anonymous.get(topic.get_absolute_url()),
        "signed-in page": learner_client.get(reverse("careers:dashboard")),
        "htmx fragment": learner_client.post(
            reverse("learning:topic-state", args=[topic.slug]),
            {"state": "done"},
            HTTP_HX_REQUEST="true",
        ),
        "redirect": anonymous.get(reverse("careers:dashboard")),
        "404": anonymous.get("/no-such-page/"),
        "400 for a disallowed host": anonymous.get("/", HTTP_HOST="evil.example"),
        "405": anonymous.get(reverse("accounts:logout")),
        "413": learner_client.post(
            reverse("accounts:import"),
            b"x",
            content_type="application/json",
            CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        ),
        "admin login": anonymous.get(reverse("admin:login")),
    }
    for what, response in answers.items():
        assert_security_headers(response, what)
    private = answers["signed-in page"].headers["Cache-Control"]
    assert "private" in private and "no-store" in private
    assert "private" in answers["htmx fragment"].headers["Cache-Control"]


# Request bodies are capped before they are read.


class UnreadableBody:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_larger_than_the_cap_is_refused_before_it_is_read(rf):
    from common.middleware import RequestSizeLimitMiddleware

    request = rf.post(reverse("accounts:import"))
    request.META["CONTENT_LENGTH"] = str(settings.REQUEST_MAX_BYTES + 1)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    middleware = RequestSizeLimitMiddleware(lambda request: pytest.fail("the view ran"))
    response = middleware(request)
    assert response.status_code == 413
    assert "That was too large to accept" in response.content.decode()


def test_a_ten_megabyte_import_gets_a_clear_413(learner_client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr("accounts.data_views.user_import", lambda **kwargs: pytest.fail("imported"))
    upload = SimpleUploadedFile("big.json", b" " * (10 * 1024 * 1024), "application/json")
    response = learner_client.post(reverse("accounts:import"), {"file": upload})
    assert response.status_code == 413
    html = response.content.decode()
    assert "We accept at most 6 MB in one request" in html
    assert 'id="main"' in html


def test_a_body_within_the_cap_reaches_the_form(learner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.json", b" " * (5 * 1024 * 1024 + 1), "application/json")
    response = learner_client.post(reverse("accounts:import"), {"file": upload})
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_a_chunked_body_without_a_length_gets_a_411(client):
    response = client.post(
        reverse("accounts:login"),
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    assert "We need to know the size first" in response.content.decode()
