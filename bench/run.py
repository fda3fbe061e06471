"""The benchmark: `make bench` (BENCH_ARGS="--seconds 2 --concurrency 1,8 ...").

1. Creates the bench's own database (bench/.data/bench.sqlite3, or `<name>_bench` next to
   a PostgreSQL DATABASE_URL), migrates it, writes a large synthetic content pack and
   times `load_content` and `export_content` on it; adds learners with progress in bulk
   (and, on PostgreSQL, runs ANALYZE as autovacuum would after a bulk load).
2. Starts gunicorn (2 workers) with production settings against it.
3. Signs a learner in (a session made in the session store) and drives each endpoint
   for a fixed time at each concurrency, after a warm-up, counting requests, latencies
   and errors; SQL queries per request are counted in-process by bench.queries.
4. Prints a table with the targets and writes the results file (bench/results.json).

Everything it starts it stops, on errors and Ctrl-C too; the database is dropped at the
end unless --keep.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.database import BenchDatabase, bench_database
from bench.endpoints import BenchError, Endpoint, csrf_token_fetch, endpoints_make, fetch
from bench.load import load_drive
from bench.pack import PackSize, pack_write
from bench.report import checks_make, machine_info, now_iso, results_write, table_format
from bench.server import WORKERS, Gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "bench" / ".data"
DEFAULT_OUTPUT = BASE_DIR / "bench" / "results.json"
WARMUP_SECONDS = 1.0
CACHE_PREFIX = "genai-careers-bench"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Options


def concurrency_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("concurrency levels must be 1 or more")
    return values


def options_parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=5.0, help="measured seconds per endpoint (default 5)"
    )
    parser.add_argument(
        "--concurrency",
        type=concurrency_list,
        default=[1, 8],
        help="comma-separated concurrency levels (default 1,8)",
    )
    parser.add_argument(
        "--pages",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        default=None,
        help="only these endpoints, comma-separated (healthz is always measured)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database (and pack) afterwards"
    )
    parser.add_argument(
        "--skip-generate",
        action="store_true",
        help="reuse the database kept by an earlier --keep run; no pack load",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="results file (bench/results.json)"
    )
    options = parser.parse_args(argv)
    if options.seconds <= 0:
        parser.error("--seconds must be above 0")
    return options


# Subprocesses with the bench database's settings


def bench_env(database: BenchDatabase) -> dict[str, str]:
    """Production settings (debug off) pointed at the bench database. REDIS_URL passes
    through; the cache prefix keeps the bench's entries apart from the developer's."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database.url,
        DJANGO_CACHE_PREFIX=CACHE_PREFIX,
        # Plain HTTP on loopback: the requests say X-Forwarded-Proto: https as a proxy
        # would, and these (listed in the README's settings table) relax the rest.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def python_run(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, str]:
    """Run `python <args>` in the project; return (wall seconds, stdout)."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip().splitlines()
        raise BenchError(f"`python {' '.join(args)}` failed:\n" + "\n".join(output[-40:]))
    return seconds, completed.stdout


def step(label: str, args: list[str], env: dict[str, str], stdin: str | None = None):
    log(f"• {label} …")
    seconds, output = python_run(args, env, stdin)
    log(f"  {seconds:.1f} s")
    return seconds, output


# The run


def data_generate(database: BenchDatabase, env: dict[str, str], pack_dir: Path, timings: dict):
    """A fresh, migrated bench database with the large pack loaded (timed) and the
    learners seeded; returns what was written."""
    database.create()
    timings["migrate_seconds"], _ = step("migrate", ["manage.py", "migrate", "--noinput"], env)
    log("• write the synthetic content pack …")
    started = time.perf_counter()
    data = pack_write(pack_dir, PackSize())
    timings["generate_seconds"] = time.perf_counter() - started
    log(f"  {timings['generate_seconds']:.1f} s: {data}")
    timings["load_seconds"], report = step(
        "load_content (timed)", ["manage.py", "load_content", str(pack_dir)], env
    )
    data["load_report"] = report.strip().splitlines()
    timings["seed_seconds"], seeded = step(
        "learners, topic states, portfolios (bulk)", ["-m", "bench.seed", "learners"], env
    )
    return {**data, **json.loads(seeded)}


def queries_measure(endpoints: list[Endpoint], email: str, env: dict[str, str]) -> dict:
    request = {
        "email": email,
        "endpoints": [
            {
                "name": e.name,
                "method": e.method,
                "path": e.query_path or e.path,
                "data": e.query_data,
                "headers": e.query_headers,
            }
            for e in endpoints
        ],
    }
    query_env = {**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver"}
    _, output = step(
        "SQL queries per request (in-process)",
        ["-m", "bench.queries"],
        query_env,
        json.dumps(request),
    )
    return json.loads(output)


def endpoints_drive(server: Gunicorn, targets: dict, env: dict[str, str], options) -> dict:
    """Each endpoint's SQL queries and, at each concurrency, its load figures."""
    session = f"{targets['session_cookie']}={targets['session_key']}"
    csrf_cookie, csrf_token = csrf_token_fetch(
        server.port, targets["paths"]["module"], session, targets["csrf_cookie"]
    )
    cookie = f"{session}; {targets['csrf_cookie']}={csrf_cookie}"
    dashboard = fetch(server.port, targets["paths"]["dashboard"], {"Cookie": cookie})
    if dashboard.status != 200:
        raise BenchError(
            f"The learner's session was not accepted: /dashboard/ answered "
            f"{dashboard.status} ({dashboard.headers.get('Location')})."
        )
    endpoints = endpoints_make(targets, server.port, cookie, csrf_token)
    if options.pages:
        unknown = set(options.pages) - {e.name for e in endpoints}
        if unknown:
            raise BenchError(f"--pages: no such endpoint {', '.join(sorted(unknown))}.")
        endpoints = [e for e in endpoints if e.name == "healthz" or e.name in options.pages]
    queries = queries_measure(endpoints, targets["email"], env)
    results = {
        e.name: {
            "method": e.method,
            "path": e.path,
            "expected_status": e.expected_status,
            "queries": queries.get(e.name, {}).get("queries"),
            "cold_queries": queries.get(e.name, {}).get("cold_queries"),
            "cold_ms": queries.get(e.name, {}).get("cold_ms"),
            "changed_ms": queries.get(e.name, {}).get("changed_ms"),
            "in_process_status": queries.get(e.name, {}).get("status"),
            "runs": {},
        }
        for e in endpoints
    }
    for concurrency in options.concurrency:
        for endpoint in endpoints:
            log(f"• {endpoint.name:<12} c={concurrency} for {options.seconds:g} s")
            figures = load_drive(
                port=server.port,
                make_request=endpoint.requests,
                expected_status=endpoint.expected_status,
                concurrency=concurrency,
                seconds=options.seconds,
                warmup=WARMUP_SECONDS,
            ).as_dict()
            log(
                f"  {figures['requests_per_second']} req/s, p95 {figures['p95_ms']} ms, "
                f"{figures['errors']} errors"
            )
            results[endpoint.name]["runs"][str(concurrency)] = figures
    return results


def run(options: argparse.Namespace) -> dict:
    started = time.perf_counter()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    database = bench_database(os.environ.get("DATABASE_URL"), DATA_DIR)
    env = bench_env(database)
    pack_dir, export_dir = DATA_DIR / "pack", DATA_DIR / "export"
    results: dict = {
        "date": now_iso(),
        "machine": machine_info(),
        "database": {"vendor": database.vendor, **database.server_info()},
        "options": {
            "seconds": options.seconds,
            "warmup_seconds": WARMUP_SECONDS,
            "concurrency": options.concurrency,
            "gunicorn_workers": WORKERS,
            "skip_generate": options.skip_generate,
            "pages": options.pages,
        },
        "data": {},
        "timings": {},
    }
    timings = results["timings"]
    log(f"Bench database: {database.describe()}")
    try:
        if not options.skip_generate:
            results["data"] = data_generate(database, env, pack_dir, timings)
        elif not database.exists():
            raise BenchError(
                f"--skip-generate: no bench database {database.name}; run once with --keep."
            )
        # What every manage.py command pays before its work: part of the timed figures.
        timings["django_startup_seconds"], _ = python_run(
            ["manage.py", "help", "load_content"], env
        )
        shutil.rmtree(export_dir, ignore_errors=True)
        timings["export_seconds"], _ = step(
            "export_content (timed)", ["manage.py", "export_content", str(export_dir)], env
        )
        database.analyze()
        timings["collectstatic_seconds"], _ = step(
            "collectstatic", ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env
        )
        _, output = python_run(["-m", "bench.seed", "session"], env)
        targets = json.loads(output)
        log(f"• gunicorn, {WORKERS} workers …")
        with Gunicorn(env=env, cwd=BASE_DIR, log_path=DATA_DIR / "gunicorn.log") as server:
            results["endpoints"] = endpoints_drive(server, targets, env, options)
            peaks = server.worker_peak_rss_mb()
        results["worker_peak_rss_by_pid_mb"] = {str(pid): mb for pid, mb in peaks.items()}
        results["worker_peak_rss_mb"] = max(peaks.values()) if peaks else None
    finally:
        if options.keep:
            log(f"Kept the bench database: {database.describe()} (reuse with --skip-generate)")
        else:
            database.drop()
            shutil.rmtree(pack_dir, ignore_errors=True)
            shutil.rmtree(export_dir, ignore_errors=True)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    for key, value in timings.items():
        timings[key] = round(value, 2)
    return results


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    options = options_parse(sys.argv[1:] if argv is None else argv)
    # Ctrl-C and a plain `kill` both stop the run through the same clean-up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        results = run(options)
    except KeyboardInterrupt:
        log("Interrupted; gunicorn stopped and the bench database cleaned up.")
        return 130
    except BenchError as error:
        log(f"bench: {error}")
        return 1
    checks = checks_make(results)
    results["targets"] = [check.as_dict() for check in checks]
    print()
    print(table_format(results, checks))
    results_write(options.output, results)
    print(f"\nWrote {options.output} ({results['total_seconds']} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
