"""SQL queries per request, and the cost of a page nobody has cached, measured in-process
with Django's test client.

Reads JSON on stdin, {"email": ..., "endpoints": [{"name", "method", "path", "data",
"headers"}, ...]}, and prints {name: {"queries": n, "status": code, "cold_queries": n,
"cold_ms": ms, "changed_ms": ms}}. Each endpoint is requested once to warm per-process
caches, then once more with the queries captured. "Cold" is a GET right after the
learner's data changed and with the process's rendered fragments dropped (content caches
stay warm): what the first view after a tick costs at worst. "Changed" is the same with
the stored fragments kept, as after a tick on a running site. Medians over a few
requests are reported. Run with the bench database's settings and "testserver" in
DJANGO_ALLOWED_HOSTS.
"""

import json
import os
import statistics
import sys
import time
from functools import partial

import django


def queries_count(email: str, endpoints: list[dict]) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.seed import session_create

    user = User.objects.get(email=email)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_create(user)
    results = {}
    for endpoint in endpoints:
        send = client.post if endpoint["method"] == "POST" else client.get
        requests = endpoint.get("data") or [{}]
        # Warm up with the first body; measure with the last (for a state change,
        # the one that really changes something).
        send(endpoint["path"], requests[0], headers=endpoint.get("headers"), secure=True)
        with CaptureQueriesContext(connection) as context:
            response = send(
                endpoint["path"], requests[-1], headers=endpoint.get("headers"), secure=True
            )
        results[endpoint["name"]] = {"queries": len(context), "status": response.status_code}
        if endpoint["method"] != "GET" or endpoint["name"] == "healthz":
            continue
        view = partial(fresh_view, client, endpoint, user)
        cold = [view(drop_fragments=True) for _ in range(COLD_SAMPLES)]
        # The usual case after a tick: the page is new, the fragments inside it (topic
        # rows shared by every learner in the same state, the header) are not.
        changed = [view(drop_fragments=False) for _ in range(COLD_SAMPLES)]
        results[endpoint["name"]].update(
            cold_queries=max(count for _, count in cold),
            cold_ms=round(statistics.median(ms for ms, _ in cold), 1),
            changed_ms=round(statistics.median(ms for ms, _ in changed), 1),
        )
    return results


COLD_SAMPLES = 7


def fresh_view(client, endpoint: dict, user, *, drop_fragments: bool) -> tuple[float, int]:
    """(ms, queries) of one GET right after the learner's data changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from common.cache import learner_cache_bump
    from common.fragments import fragments

    if drop_fragments:
        fragments.clear()
    learner_cache_bump(user.pk)
    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        client.get(endpoint["path"], headers=endpoint.get("headers"), secure=True)
        return (time.perf_counter() - started) * 1000, len(context)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    request = json.load(sys.stdin)
    print(json.dumps(queries_count(request["email"], request["endpoints"])))


if __name__ == "__main__":
    main()
