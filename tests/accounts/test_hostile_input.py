"""Hostile input to the account forms and the JSON import: a clear 4xx or a re-rendered
form with errors, never a 500, and nothing unsafe or half-written stored."""

import itertools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.data_file.export import user_export
from accounts.models import User

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["<script>alert(1)</script>", "\x00", "a" * 10_000, "javascript:alert(1)", "😀" * 100]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str), st.sampled_from(["", "1e9", "NaN"])
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


# Each example signs up from an address of its own, so the sign-up limit per address
# never answers for the form: every example reaches it.
SIGN_UP_ADDRESSES = (f"10.7.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@HYPOTHESIS
@given(email=NASTY, password=NASTY)
def test_sign_up_never_errors(client, email, password):
    before = User.objects.count()
    response = client.post(
        reverse("accounts:signup"),
        {"email": email, "password1": password, "password2": password},
        REMOTE_ADDR=next(SIGN_UP_ADDRESSES),
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the form again, with what is wrong
        assert b'aria-invalid="true"' in response.content
        assert User.objects.count() == before


@HYPOTHESIS
@given(display_name=NASTY, weekly_hours=NUMBERS, handle=NASTY, public=st.booleans())
def test_settings_never_error_or_store_out_of_range_values(
    learner_client, learner, display_name, weekly_hours, handle, public
):
    response = learner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": display_name,
            "weekly_hours": weekly_hours,
            "public_handle": handle,
            "is_progress_public": "on" if public else "",
        },
    )
    assert response.status_code in (200, 302)
    learner.refresh_from_db()
    assert 1 <= learner.weekly_hours <= 100
    assert "\x00" not in learner.display_name
    assert not learner.is_progress_public or learner.public_handle


@HYPOTHESIS
@given(data=JSON_VALUES)
def test_import_refuses_arbitrary_json_without_writing(learner_client, learner, data):
    before = json.dumps(user_export(user=learner), sort_keys=True, default=str)
    upload = SimpleUploadedFile("x.json", json.dumps(data).encode(), "application/json")
    response = learner_client.post(reverse("accounts:import"), {"file": upload})
    assert response.status_code == 400
    after = user_export(user=learner)
    after["exported_at"] = json.loads(before)["exported_at"]
    assert json.dumps(after, sort_keys=True, default=str) == before


@HYPOTHESIS
@given(raw=st.binary(max_size=300))
def test_import_refuses_arbitrary_bytes(learner_client, raw):
    upload = SimpleUploadedFile("x.json", raw, "application/json")
    assert learner_client.post(reverse("accounts:import"), {"file": upload}).status_code == 400
