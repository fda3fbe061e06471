"""Start-up refuses a bad environment with one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_check(**env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_refuses_to_start():
    result = run_check()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_names_the_variable():
    result = run_check(DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="nonsense")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_debug_flag_names_the_variable():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_debug_on_without_secret_key_starts():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/example.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/app", "django.db.backends.postgresql"),
    ],
)
def test_database_url_selects_the_engine(url, engine):
    from config.env import env_database

    os.environ["TEST_DATABASE_URL_PROBE"] = url
    try:
        config = env_database("TEST_DATABASE_URL_PROBE", "sqlite:///unused")
    finally:
        del os.environ["TEST_DATABASE_URL_PROBE"]
    assert config["ENGINE"] == engine
    if engine.endswith("postgresql"):
        assert config["CONN_HEALTH_CHECKS"] is True
        assert config["CONN_MAX_AGE"] > 0


def test_production_defaults_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "pathways.example.com",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
