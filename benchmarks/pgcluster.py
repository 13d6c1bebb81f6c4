"""A throwaway PostgreSQL 15 cluster for the benchmarks: initdb in a scratch folder, a free port on 127.0.0.1,
stopped and removed at the end, also on failure or Ctrl-C.

    with throwaway_cluster(Path("/work/scratch-X/pg")) as database_url:
        ...  # DATABASE_URL=postgres://essor:PASSWORD@127.0.0.1:PORT/essor

The binaries come from PG_BIN, else Debian's /usr/lib/postgresql/15/bin, else `pg_ctl` on PATH (which must be
version 15; `apt-get install postgresql-15` provides it). PostgreSQL refuses to run as root: as root the server
runs as the `postgres` system user (the Debian package creates it) through `runuser`.

The server settings are those of a small dedicated database host (see docs/benchmarks.md): durability is kept
(fsync, full_page_writes, synchronous_commit on), memory and checkpoints are sized for bulk loads.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VERSION = "15"
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "100",
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
    "wal_compression": "on",
    "max_parallel_workers_per_gather": "1",  # 2 cores shared with the web workers
    "random_page_cost": "1.1",  # SSD
    "log_min_duration_statement": "-1",
}


def binaries() -> Path:
    candidates = [os.environ.get("PG_BIN", ""), f"/usr/lib/postgresql/{VERSION}/bin"]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for candidate in filter(None, candidates):
        folder = Path(candidate)
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            version = subprocess.run(
                [folder / "postgres", "--version"], capture_output=True, text=True, check=True
            ).stdout
            if f") {VERSION}." in version:
                return folder
    raise SystemExit(
        f"PostgreSQL {VERSION} server binaries not found (set PG_BIN, or apt-get install postgresql-{VERSION})."
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list) -> list:
    # initdb and postgres refuse root; the Debian package's `postgres` user owns the cluster instead.
    if os.geteuid() != 0:
        return [str(part) for part in command]
    return ["runuser", "-u", "postgres", "--", *map(str, command)]


def _chown_for_server(path: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)


def _wait_ready(bin_dir: Path, port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready = subprocess.run(
            [bin_dir / "pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"], check=False
        )
        if ready.returncode == 0:
            return
        time.sleep(0.3)
    raise SystemExit(f"PostgreSQL did not accept connections on 127.0.0.1:{port}")


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def throwaway_cluster(root: Path, database: str = "essor", port: int = 0) -> Iterator[str]:
    """Yield the DATABASE_URL of a fresh cluster in ROOT (must not exist); remove ROOT afterwards."""
    bin_dir = binaries()
    root = Path(root).resolve()
    if root.exists():
        raise SystemExit(f"{root} exists: a previous run left it? Remove it first.")
    root.mkdir(parents=True)
    _chown_for_server(root)
    data = root / "data"
    password = secrets.token_urlsafe(24)
    password_file = root / "password"
    password_file.write_text(password + "\n")
    _chown_for_server(password_file)
    port = port or free_port()
    started = False
    # SIGTERM (e.g. `kill PID` of the benchmark) unwinds through the finally below like Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        subprocess.run(
            _as_server_user([bin_dir / "initdb", "-D", data, "-U", "essor", "--pwfile", password_file,
                             "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        password_file.unlink()
        options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
        options += f" -c unix_socket_directories={root} -p {port}"
        subprocess.run(
            _as_server_user([bin_dir / "pg_ctl", "-D", data, "-l", root / "server.log", "-o", options,
                             "-w", "-t", "60", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = True
        _wait_ready(bin_dir, port)
        subprocess.run(
            [bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "essor", database],
            env={**os.environ, "PGPASSWORD": password},
            check=True,
        )
        yield f"postgres://essor:{password}@127.0.0.1:{port}/{database}"
    finally:
        if started:
            subprocess.run(
                _as_server_user([bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]),
                check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def database_size(database_url: str) -> int:
    """Bytes on disk of the database (tables, indexes, TOAST)."""
    import psycopg

    with psycopg.connect(database_url) as con:
        return con.execute("SELECT pg_database_size(current_database())").fetchone()[0]


if __name__ == "__main__":
    # A smoke test: start, query the version, stop.
    import psycopg

    with throwaway_cluster(Path(os.environ.get("PG_SCRATCH", "/tmp/essor-pg-smoke"))) as url:
        with psycopg.connect(url) as con:
            print(con.execute("SELECT version()").fetchone()[0])
        print(url.split("@")[1], database_size(url), "bytes")
