"""The real worker: two `manage.py worker` processes race over one file SQLite database
(migrated here) with every learner's weekly email due, and an SMTP server started here
receives exactly one email per learner."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from bench.database import BenchDatabase
from tests.accounts.test_weekly_email import Inbox, free_port
from tests.processes import manage, site_env

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = 12

SEED = f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from accounts.tasks import weekly_emails_dispatch
for n in range({LEARNERS}):
    User.objects.create_user(email=f"learner{{n}}@example.com", password="x-long-password-1",
                             weekly_email=True,
                             weekly_email_due_at=timezone.now() - timedelta(minutes=5))
# Two dispatches at once, as after a restart or with a second worker starting.
weekly_emails_dispatch.enqueue()
weekly_emails_dispatch.enqueue()
"""

pytestmark = pytest.mark.processes


def test_two_workers_send_exactly_one_weekly_email_per_learner(tmp_path):
    path = tmp_path / "worker.sqlite3"
    database = BenchDatabase(vendor="sqlite", url=f"sqlite:///{path}", name=str(path))
    database.create()
    port = free_port()
    env = site_env(
        database.url,
        tmp_path,
        DJANGO_EMAIL_CONSOLE="0",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        DJANGO_EMAIL_USE_TLS="0",
    )
    env.pop("REDIS_URL", None)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    workers = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "shell", stdin=SEED)
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "worker",
                    "--interval",
                    "0.1",
                    "--worker-id",
                    f"w{i}",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / f"worker-{i}.log", "w"),  # noqa: SIM115
            )
            for i in range(2)
        ]
        deadline = time.monotonic() + 60
        while len(inbox.messages) < LEARNERS and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # a duplicate would arrive now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
        controller.stop()
        database.drop()

    recipients = sorted(r for rcpt, _ in inbox.messages for r in rcpt)
    assert recipients == sorted(f"learner{n}@example.com" for n in range(LEARNERS))
    assert all(worker.returncode is not None for worker in workers)
