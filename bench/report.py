"""The bench's figures against its targets: a printed table and the results file."""

import json
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Targets hold on PostgreSQL at concurrency 8 (TARGET_CONCURRENCY); throughput is a
# ratio to /healthz measured in the same run, so it does not depend on the machine.
TARGET_CONCURRENCY = 8
THROUGHPUT_RATIO_TARGETS = {
    "dashboard": 0.20,
    "topic-state": 0.30,
    "role": 0.35,
    "module": 0.35,
    "topic": 0.35,
    "plan": 0.30,
    "plan-feed": 0.35,
    # Issue 16: a learner with 3,000 states and 500 attempts.
    "check": 0.30,
    "check-result": 0.30,
    "review": 0.30,
    # Issue 15: the map of the largest role path, signed in and as a visitor.
    "role-map": 0.30,
    "role-map-visitor": 0.35,
}
P95_MS_TARGETS = {"dashboard": 60.0}
MAX_QUERIES = 12
LOAD_SECONDS_TARGET = 20.0
EXPORT_SECONDS_TARGET = 10.0
WORKER_RSS_MB_TARGET = 150.0


@dataclass
class Check:
    name: str
    target: str
    value: str
    passed: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.passed]

    def as_dict(self) -> dict:
        return {"check": self.name, "target": self.target, "value": self.value, "pass": self.passed}


def throughput_ratio(endpoints: dict, name: str, concurrency: int) -> float | None:
    if name not in endpoints:  # not measured in this run (--pages)
        return None
    runs = endpoints[name]["runs"]
    healthz = endpoints["healthz"]["runs"].get(str(concurrency))
    run = runs.get(str(concurrency))
    if not run or not healthz or not healthz["requests_per_second"]:
        return None
    return run["requests_per_second"] / healthz["requests_per_second"]


def checks_make(results: dict) -> list[Check]:
    endpoints = results["endpoints"]
    measured = sorted(int(c) for c in endpoints["healthz"]["runs"])
    at = TARGET_CONCURRENCY if TARGET_CONCURRENCY in measured else max(measured)
    checks = []
    for name, target in THROUGHPUT_RATIO_TARGETS.items():
        ratio = throughput_ratio(endpoints, name, at)
        checks.append(
            Check(
                f"{name} throughput vs healthz (c={at})",
                f">= {target:.2f}",
                "-" if ratio is None else f"{ratio:.2f}",
                None if ratio is None else ratio >= target,
            )
        )
    for name, target in P95_MS_TARGETS.items():
        p95 = endpoints.get(name, {"runs": {}})["runs"].get(str(at), {}).get("p95_ms")
        checks.append(
            Check(
                f"{name} p95 latency (c={at})",
                f"< {target:.0f} ms",
                "-" if p95 is None else f"{p95:.1f} ms",
                None if p95 is None else p95 < target,
            )
        )
    # A page served from its cached fragments and the same page rendered afresh both count.
    counts = {
        name: max(e["queries"], e.get("cold_queries") or 0)
        for name, e in endpoints.items()
        if e["queries"] is not None
    }
    over = [f"{name} {count}" for name, count in counts.items() if count > MAX_QUERIES]
    most = max(counts, key=counts.get) if counts else None
    checks.append(
        Check(
            "SQL queries per request, every endpoint",
            f"<= {MAX_QUERIES}",
            ", ".join(over) if over else f"max {counts[most]} ({most})" if most else "-",
            None if not counts else not over,
        )
    )
    for name, key, target, unit in [
        ("load the large pack", "load_seconds", LOAD_SECONDS_TARGET, "s"),
        ("export the large pack", "export_seconds", EXPORT_SECONDS_TARGET, "s"),
        ("gunicorn worker peak RSS", "worker_peak_rss_mb", WORKER_RSS_MB_TARGET, "MB"),
    ]:
        value = results["timings"].get(key, results.get(key))
        checks.append(
            Check(
                name,
                f"< {target:.0f} {unit}",
                "-" if value is None else f"{value:.1f} {unit}",
                None if value is None else value < target,
            )
        )
    return checks


def _number(value, digits=1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table_format(results: dict, checks: list[Check]) -> str:
    endpoints = results["endpoints"]
    header = (
        f"{'endpoint':<12} {'path':<44} {'c':>2} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'SQL':>4} {'errors':>6} {'×healthz':>8} {'cold ms':>8} {'cold SQL':>8} "
        f"{'changed ms':>10}"
    )
    lines = [header, "-" * len(header)]
    concurrencies = sorted({int(c) for e in endpoints.values() for c in e["runs"]})
    for concurrency in concurrencies:
        for name, endpoint in endpoints.items():
            run = endpoint["runs"].get(str(concurrency))
            if run is None:
                continue
            path = (
                endpoint["path"] if len(endpoint["path"]) <= 44 else endpoint["path"][:41] + "..."
            )
            ratio = throughput_ratio(endpoints, name, concurrency)
            queries = endpoint["queries"]
            cold_ms, cold_queries = endpoint.get("cold_ms"), endpoint.get("cold_queries")
            changed_ms = endpoint.get("changed_ms")
            lines.append(
                f"{name:<12} {path:<44} {concurrency:>2} {run['requests_per_second']:>8.1f} "
                f"{_number(run['p50_ms']):>7} {_number(run['p95_ms']):>7} "
                f"{_number(run['p99_ms']):>7} {'-' if queries is None else queries:>4} "
                f"{run['errors']:>6} {_number(ratio, 2):>8} "
                f"{_number(cold_ms):>8} {_number(cold_queries, 0):>8} {_number(changed_ms):>10}"
            )
        lines.append("")
    timings = results["timings"]
    lines.append(
        "load_content {} s, export_content {} s (each with {} s of Django start-up); "
        "migrate {} s, seed {} s; worker peak RSS {} MB".format(
            _number(timings.get("load_seconds")),
            _number(timings.get("export_seconds")),
            _number(timings.get("django_startup_seconds")),
            _number(timings.get("migrate_seconds")),
            _number(timings.get("seed_seconds")),
            _number(results.get("worker_peak_rss_mb")),
        )
    )
    machine = results["machine"]
    busy = machine["load_average_start"][0]
    if machine["cores"] and busy > machine["cores"] / 2:
        lines.append(
            f"Note: the machine was busy before the bench started (load average {busy:.1f} on "
            f"{machine['cores']} cores); absolute figures are noisy."
        )
    vendor = results["database"]["vendor"]
    note = "" if vendor == "postgresql" else f" (set for PostgreSQL; this run is on {vendor})"
    lines += ["", f"Targets{note}:"]
    width = max(len(check.name) for check in checks)
    for check in checks:
        lines.append(
            f"  {check.name:<{width}}  {check.target:>9}  {check.value:>24}  {check.verdict}"
        )
    errors = {name: e["runs"] for name, e in endpoints.items()}
    for name, runs in errors.items():
        for concurrency, run in runs.items():
            for sample in run["error_samples"]:
                lines.append(f"  error {name} c={concurrency}: {sample}")
    return "\n".join(lines)


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import django
    import gunicorn

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        # Other work on the machine skews absolute figures; ratios to /healthz less so.
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def results_write(path: Path, run: dict) -> None:
    """Write `run` into the results file under its database vendor, keeping the latest
    run on each other vendor, so one file holds SQLite's and PostgreSQL's figures."""
    runs = {}
    if path.exists():
        try:
            runs = json.loads(path.read_text()).get("runs", {})
        except (ValueError, AttributeError):
            runs = {}
    runs[run["database"]["vendor"]] = run
    data = {
        "about": "make bench: figures per database vendor; see bench/run.py for what is measured.",
        "runs": dict(sorted(runs.items())),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
