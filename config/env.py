"""Reading settings from the environment, with errors that name the variable.

A bad value stops start-up with one line (`ImproperlyConfigured: DATABASE_URL ...`)
instead of a traceback deep inside a database driver.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default_url: str) -> dict:
    url = os.environ.get(name) or default_url
    if not url.startswith(("sqlite:", "postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"{name} must be a sqlite:///path or postgres://user@host:port/name URL, not {url!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several kinds
        raise ImproperlyConfigured(f"{name} could not be parsed ({error}).") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite connections are cheap and a long-lived one holds file locks.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            # Writers queue for the one write lock; a busy machine can make the queue
            # longer than the default 5 s, and a wait beats a "database is locked" 500.
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    return config
