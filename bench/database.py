"""The bench's own database, never the developer's.

SQLite: a file under bench/.data/. PostgreSQL (DATABASE_URL=postgres://...): a database
named `<name>_bench` on the same server, created and dropped here through psycopg.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


@dataclass(frozen=True)
class BenchDatabase:
    vendor: str  # "sqlite" or "postgresql"
    url: str  # DATABASE_URL for the bench's processes
    name: str  # file path or database name
    admin_url: str = ""  # PostgreSQL: the developer's database, to create and drop from

    def describe(self) -> str:
        return f"{self.vendor} {self.name}"

    def exists(self) -> bool:
        if self.vendor == "sqlite":
            return Path(self.name).exists()
        with _admin_connect(self.admin_url) as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
        return row is not None

    def create(self) -> None:
        """An empty database, replacing any left from an earlier run."""
        self.drop()
        if self.vendor == "sqlite":
            Path(self.name).parent.mkdir(parents=True, exist_ok=True)
            return
        from psycopg import sql

        with _admin_connect(self.admin_url) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        from psycopg import sql

        with _admin_connect(self.admin_url) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def analyze(self) -> None:
        """PostgreSQL: gather planner statistics, as autovacuum soon would after a bulk
        load (a local server may run with autovacuum off, and plans without statistics
        are several times slower). SQLite gathers none unless told, so neither do we."""
        if self.vendor == "postgresql":
            with _admin_connect(_libpq_url(self.url)) as connection:
                connection.execute("ANALYZE")

    def server_info(self) -> dict:
        if self.vendor == "sqlite":
            return {"version": sqlite3.sqlite_version}
        with _admin_connect(self.admin_url) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
            autovacuum = connection.execute("SHOW autovacuum").fetchone()[0]
        return {"version": version, "autovacuum": autovacuum}


def bench_database(developer_url: str | None, data_dir: Path) -> BenchDatabase:
    """The bench database that goes with the developer's DATABASE_URL."""
    if not developer_url or developer_url.startswith("sqlite:"):
        path = data_dir / "bench.sqlite3"
        return BenchDatabase(vendor="sqlite", url=f"sqlite:///{path.resolve()}", name=str(path))
    parts = urlsplit(developer_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise SystemExit(f"DATABASE_URL must be sqlite:// or postgres://, not {developer_url!r}.")
    name = parts.path.lstrip("/") or parts.username or "postgres"
    bench_name = f"{name}_bench"
    return BenchDatabase(
        vendor="postgresql",
        url=urlunsplit(parts._replace(path=f"/{bench_name}")),
        name=bench_name,
        admin_url=_libpq_url(developer_url),
    )


def _libpq_url(url: str) -> str:
    """The same URL with a scheme libpq accepts (dj-database-url also takes pgsql://)."""
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def _admin_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)
