"""Typed readers for environment variables: every setting comes through here and fails loudly."""

import json
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json(name: str, default):
    """A JSON value (e.g. an object of URLs); the default when unset or blank."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from exc


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def parse_database_url(url: str, base_dir: Path) -> dict:
    """sqlite:///relative/or/absolute.db or postgres://user:pass@host:port/name."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///var/essor.db is relative to the repository; sqlite:////abs/path is absolute.
        # As in SQLAlchemy: three slashes are relative, four are absolute.
        path = Path(unquote(parsed.path)[1:])
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL for PostgreSQL must name a database.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite or postgres)."
    )


# --- Local use: a .env file --------------------------------------------------------------------------------------
# `make demo` writes one (DEBUG on, a generated SECRET_KEY) so that the README's `essor …` commands work after it.
# The settings read it only when it exists; a variable already in the environment always wins over the file, and
# ESSOR_ENV_FILE="" turns the file off. A production deployment has no such file and sets its variables itself.

LOCAL_ENV_HEADER = (
    "# Local use only: written by `make demo` (essor.env). Never deploy this file; production sets these\n"
    "# variables in its own environment. Variables already set in the environment win over this file.\n"
)


def env_file_path(default: Path) -> Path | None:
    """The .env file to read: ESSOR_ENV_FILE, else `default`; None when ESSOR_ENV_FILE is set empty."""
    raw = os.environ.get("ESSOR_ENV_FILE")
    if raw is None:
        return default
    return Path(raw).expanduser().resolve() if raw.strip() else None


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines and # comments skipped, optional quotes); a malformed line names file and line."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].strip()
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected KEY=VALUE, found {raw!r}.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in {"'", '"'}:
            value = value[1:-1]
        values[key] = value
    return values


def load_env_file(path: Path | None) -> Path | None:
    """Add the file's variables to os.environ where they are not set yet; the file read, or None."""
    if path is None or not path.is_file():
        return None
    for key, value in read_env_file(path).items():
        os.environ.setdefault(key, value)
    return path


def write_local_env(path: Path) -> bool:
    """Write a local .env (DEBUG on, a new random SECRET_KEY) unless one exists; True when written."""
    if path.exists():
        return False
    path.write_text(LOCAL_ENV_HEADER + f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(50)}\n", encoding="utf-8")
    path.chmod(0o600)
    return True


CACHE_TABLE = "essor_cache"


def parse_cache_url(url: str) -> dict:
    """The shared cache: db:// (default, table essor_cache), redis://host:port/db, memcached://host:port[,host:port],
    or locmem:// (one process only: rate limits would count per worker)."""
    parsed = urlparse(url)
    if parsed.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": parsed.netloc or CACHE_TABLE,
        }
    if parsed.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parsed.scheme == "memcached":
        hosts = [host for host in url.split("://", 1)[1].strip("/").split(",") if host]
        if not hosts:
            raise ImproperlyConfigured("ESSOR_CACHE_URL=memcached:// must name at least one host:port.")
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": hosts}
    if parsed.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parsed.netloc or "essor",
        }
    raise ImproperlyConfigured(
        f"ESSOR_CACHE_URL scheme {parsed.scheme!r} is not supported (use db, redis, memcached or locmem)."
    )


if __name__ == "__main__":
    # `python -m essor.env .env` (the Makefile's `.env` target).
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    print(f"{target}: written (local use only)." if write_local_env(target) else f"{target}: kept.")
