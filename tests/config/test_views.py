import pytest
from django.db import DatabaseError
from django.test import override_settings
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
