"""SQL queries per request, measured in-process with Django's test client.

Reads JSON on stdin, {"email": ..., "endpoints": [{"name", "method", "path", "data",
"headers"}, ...]}, and prints {name: {"queries": n, "status": code}}. Each endpoint is
requested once to warm per-process caches, then once more with the queries captured.
Run with the bench database's settings and "testserver" in DJANGO_ALLOWED_HOSTS.
"""

import json
import os
import sys

import django


def queries_count(email: str, endpoints: list[dict]) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.seed import session_create

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_create(User.objects.get(email=email))
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
    return results


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    request = json.load(sys.stdin)
    print(json.dumps(queries_count(request["email"], request["endpoints"])))


if __name__ == "__main__":
    main()
