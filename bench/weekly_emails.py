"""Preparing the weekly emails of 10,000 learners, as the worker's dispatch does: queries
per batch, seconds, and the process's peak memory. Builds a throw-away database.

    .venv/bin/python -m bench.weekly_emails [--learners 10000]     # SQLite
    DATABASE_URL=postgres://…/postgres .venv/bin/python -m bench.weekly_emails
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.database import BenchDatabase

ROOT = Path(__file__).resolve().parent.parent


def measure(learners: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User, WeeklyEmail
    from accounts.weekly_email import BATCH_SIZE, weekly_emails_prepare

    due = timezone.now() - timedelta(minutes=1)
    password = make_password(None)
    zones = ["UTC", "Europe/Paris", "Asia/Tokyo", "America/New_York"]
    User.objects.bulk_create(
        [
            User(
                email=f"learner{n}@example.com",
                password=password,
                time_zone=zones[n % len(zones)],
                study_days=1 << (n % 7),
                weekly_email=True,
                weekly_email_due_at=due,
            )
            for n in range(learners)
        ],
        batch_size=1000,
    )
    queries_per_batch = set()
    batches = 0
    started = time.perf_counter()
    while True:
        with CaptureQueriesContext(connection) as queries:
            ids = weekly_emails_prepare()
        if not ids:
            break
        batches += 1
        queries_per_batch.add(len(queries))
    seconds = time.perf_counter() - started
    return {
        "learners": learners,
        "batch_size": BATCH_SIZE,
        "batches": batches,
        "queries_per_batch": sorted(queries_per_batch),
        "emails_recorded": WeeklyEmail.objects.count(),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "vendor": connection.vendor,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inner:
        print(json.dumps(measure(options.learners)))
        return 0
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            name = f"bench_weekly_{os.getpid()}"
            database = BenchDatabase(
                vendor="postgresql",
                url=urlunsplit(parts._replace(path=f"/{name}")),
                name=name,
                admin_url=urlunsplit(parts._replace(scheme="postgresql")),
            )
        else:
            path = Path(tmp) / "weekly.sqlite3"
            database = BenchDatabase(vendor="sqlite", url=f"sqlite:///{path}", name=str(path))
        database.create()
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "DJANGO_SECRET_KEY": "bench-only-secret",
            "DJANGO_VERSIONS_DIR": str(Path(tmp) / "versions"),
        }
        env.pop("REDIS_URL", None)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.weekly_emails",
                    "--inner",
                    "--learners",
                    str(options.learners),
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            database.drop()
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(
        f"Weekly emails prepared for {result['learners']:,} learners on {result['vendor']}: "
        f"{result['seconds']} s, {result['batches']} batches of {result['batch_size']}, "
        f"queries per batch {result['queries_per_batch']}, peak memory "
        f"{result['peak_rss_mb']} MB ({result['emails_recorded']:,} emails recorded)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
