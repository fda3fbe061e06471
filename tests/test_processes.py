"""Limits that hold across processes: the site run by gunicorn as in production (two
workers on SQLite without Redis; two instances of two workers with Redis), driven over
HTTP by several clients at once."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.processes import Browser, running_site

SIGNUP_LIMIT = 10
PASSWORD = "plum-lantern-orbit-47"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("processes")
    with running_site(data_dir, DJANGO_SIGNUP_RATE_LIMIT=str(SIGNUP_LIMIT)) as site:
        yield site


def sign_ups(site, first: int, count: int) -> list[int]:
    """`count` sign-ups with new addresses, four at a time, spread over the instances."""

    def sign_up(index: int) -> int:
        browser = Browser(site.ports[index % len(site.ports)])
        status, _, _ = browser.submit(
            "/accounts/signup/",
            {"email": f"learner{index}@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(sign_up, range(first, first + count)))


def searches(site, count: int) -> list[int]:
    def search(index: int) -> int:
        browser = Browser(site.ports[index % len(site.ports)])
        status, _, _ = browser.request("GET", f"/search/?q=topic+{index}")
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(search, range(count)))


def test_the_sign_up_limit_holds_at_exactly_its_number_across_processes(site):
    first = sign_ups(site, 0, 6)
    assert first == [302] * 6
    # Anonymous traffic that once evicted the per-process counters.
    assert set(searches(site, 700)) == {200}
    second = sign_ups(site, 6, 10)
    assert sorted(second) == [302] * (SIGNUP_LIMIT - 6) + [429] * (10 - SIGNUP_LIMIT + 6)
    # Every worker of every instance answered sign-ups, and the count held for all.
    # A worker writes its access-log line after the response has gone, so the last line
    # can trail the client by a moment: wait for it (at most five seconds).
    deadline = time.monotonic() + 5
    while True:
        posts = [r for r in site.answers() if r[1] == "POST" and r[2] == "/accounts/signup/"]
        if len(posts) >= 16 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(posts) == 16
    assert len({pid for pid, *_ in posts}) == 2 * len(site.ports)
    assert [status for *_, status in posts].count(302) == SIGNUP_LIMIT


def test_head_answers_on_the_running_site(site):
    for path in ["/healthz", "/", "/roles/", "/accounts/login/"]:
        status, headers, body = Browser(site.ports[0]).request("HEAD", path)
        assert status == 200, path
        assert body == ""


def test_a_body_over_the_cap_is_refused_before_it_is_read(site):
    """The 413 comes back while the client is still sending (gunicorn reads nothing)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", site.ports[0], timeout=30)
    connection.putrequest("POST", "/accounts/import/")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(50 * 1024 * 1024))
    connection.endheaders()
    connection.send(b"{" * 65536)  # far short of the announced 50 MB
    response = connection.getresponse()
    assert response.status == 413
    assert "That was too large to accept" in response.read().decode()
    connection.close()


def test_a_chunked_body_gets_a_411(site):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", site.ports[0], timeout=30)
    connection.request(
        "POST",
        "/accounts/login/",
        body=iter([b"username=a&", b"password=b"]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 411
    connection.close()
