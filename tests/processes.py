"""The site as production runs it: gunicorn processes, started for a test.

`running_site()` builds a throw-away database (a SQLite file, or `<name>_processes` on
the PostgreSQL server of DATABASE_URL), migrates it, collects static files and starts
gunicorn: one instance with two workers, or with REDIS_URL set two instances of two
workers each, sharing the database and Redis. `Browser` is a minimal HTTP client with
its own cookies, enough to fetch a form and post it with its CSRF token."""

import dataclasses
import http.client
import os
import re
import secrets
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.database import bench_database
from bench.server import Gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s"


@dataclasses.dataclass
class Site:
    ports: list[int]
    access_logs: list[Path]
    env: dict[str, str]

    def answers(self) -> list[tuple[int, str, str, int]]:
        """(worker pid, method, path, status) of every request served so far."""
        rows = []
        for log in self.access_logs:
            for line in log.read_text().splitlines():
                pid, method, path, status = line.split()
                rows.append((int(pid.strip("<>")), method, path, int(status)))
        return rows


def site_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    settings = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_PREFIX": f"processes-{secrets.token_hex(4)}",
        "DATABASE_URL": database_url,
        # The test TEST_ENV of the Makefile: plain HTTP.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_EMAIL_CONSOLE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Without Redis the workers share their versions through this directory.
        "DJANGO_VERSIONS_DIR": str(data_dir / "versions"),
    }
    env.update(settings, **extra)
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
        timeout=300,
    )


@contextmanager
def running_site(data_dir: Path, **settings: str):
    """A migrated, empty site served by gunicorn; stopped and its database dropped after."""
    database = bench_database(os.environ.get("DATABASE_URL"), data_dir)
    if database.vendor == "postgresql":
        name = database.name.removesuffix("_bench") + "_processes"
        database = dataclasses.replace(
            database, name=name, url=database.url.rsplit("/", 1)[0] + f"/{name}"
        )
    database.create()
    env = site_env(database.url, data_dir, **settings)
    instances = 2 if env.get("REDIS_URL") else 1
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        with ExitStack() as stack:
            ports, logs = [], []
            for index in range(instances):
                access_log = data_dir / f"access-{index}.log"
                access_log.touch()
                server_env = {
                    **env,
                    "GUNICORN_CMD_ARGS": (
                        f"--access-logfile {access_log} --access-logformat '{ACCESS_LOG_FORMAT}'"
                    ),
                }
                server = stack.enter_context(
                    Gunicorn(
                        env=server_env, cwd=BASE_DIR, log_path=data_dir / f"gunicorn-{index}.log"
                    )
                )
                ports.append(server.port)
                logs.append(access_log)
            yield Site(ports=ports, access_logs=logs, env=env)
    finally:
        database.drop()


class Browser:
    """One visitor: keeps its cookies, fetches forms and posts them with their token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def submit(self, path: str, data: dict):
        """GET the form at `path`, then POST `data` to it with the page's CSRF token."""
        _, _, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token})
