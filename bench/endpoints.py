"""What the bench drives: its endpoints (with their targets and request headers), and
single requests to the server (a page, a CSRF token)."""

import http.client
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.load import Request


class BenchError(Exception):
    pass


# Endpoints


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    requests: Callable[[], Request]
    query_path: str = ""  # for bench.queries, when not `path`
    query_data: list[dict] | None = None
    query_headers: dict[str, str] | None = None
    expected_status: int = 200


def endpoints_make(targets: dict, port: int, cookie: str, csrf_token: str) -> list[Endpoint]:
    paths = targets["paths"]
    base_headers = {"X-Forwarded-Proto": "https", "Cookie": cookie}

    def get(path):
        request = Request("GET", path, base_headers)
        return lambda: request

    state_paths = paths["topic_states"]
    counter = itertools.count()
    origin = f"https://127.0.0.1:{port}"
    post_headers = {
        **base_headers,
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
        "X-CSRFToken": csrf_token,
        "Origin": origin,
        "Referer": origin + paths["module"],
    }

    def state_change():
        # Round-robin over the module's topics, flipping each between done and learning,
        # so every request changes a state (and threads rarely touch the same row).
        index = next(counter)
        state = ("done", "learning")[(index // len(state_paths)) % 2]
        path = state_paths[index % len(state_paths)]
        return Request("POST", path, post_headers, urlencode({"state": state}).encode())

    pages = ["healthz", "home", "roles", "role", "module", "topic", "search"]
    pages += ["dashboard", "portfolio", "plan", "plan-feed", "check", "check-result", "review"]
    pages += ["role-map"]
    endpoints = [Endpoint(name, "GET", paths[name], get(paths[name])) for name in pages]
    # The largest role map as a visitor sees it (no session).
    visitor = Request("GET", paths["role-map"], {"X-Forwarded-Proto": "https"})
    endpoints.append(Endpoint("role-map-visitor", "GET", paths["role-map"], lambda: visitor))
    endpoints.append(
        Endpoint(
            "topic-state",
            "POST",
            state_paths[0],
            state_change,
            # Any of the module's topics costs the same; warm up with "done", then
            # measure a real change back to "learning".
            query_path=state_paths[-1],
            query_data=[{"state": "done"}, {"state": "learning"}],
            query_headers={"HX-Request": "true"},
        )
    )
    return endpoints


# Talking to the server once


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def fetch(port: int, path: str, headers: dict[str, str]) -> Page:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = connection.getresponse()
        return Page(response.status, response.headers, response.read())
    finally:
        connection.close()


def csrf_token_fetch(port: int, path: str, cookie: str, csrf_cookie: str) -> tuple[str, str]:
    """(cookie value, token for the X-CSRFToken header) as a browser gets them from a page."""
    page = fetch(port, path, {"Cookie": cookie})
    if page.status != 200:
        raise BenchError(f"GET {path} as the learner answered {page.status}, not 200.")
    jar = SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    if csrf_cookie not in jar:
        raise BenchError(f"GET {path} set no {csrf_cookie} cookie; cannot post forms.")
    match = re.search(rb'"X-CSRFToken":\s*"([^"]+)"', page.body)
    token = match.group(1).decode() if match else jar[csrf_cookie].value
    return jar[csrf_cookie].value, token
