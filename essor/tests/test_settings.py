"""Settings fail loudly on bad environment values, and production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from essor.env import env_bool, env_int, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("ESSOR_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ESSOR_FLAG"):
        env_bool("ESSOR_FLAG")


def test_bad_integer_is_refused(monkeypatch):
    monkeypatch.setenv("ESSOR_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="ESSOR_NUMBER"):
        env_int("ESSOR_NUMBER", 1)


def test_database_urls(tmp_path):
    relative = parse_database_url("sqlite:///var/x.sqlite3", tmp_path)
    assert relative["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    absolute = parse_database_url("sqlite:////srv/essor.sqlite3", tmp_path)
    assert absolute["NAME"] == "/srv/essor.sqlite3"
    pg = parse_database_url("postgres://essor:s%40cret@db.internal:5433/essor", tmp_path)
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "essor",
        "s@cret",
        "db.internal",
        "5433",
        "essor",
    )
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("mysql://x/y", tmp_path)


def _run_essor(args, env_overrides, timeout=120):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set in this process by the browser fixture (conftest.py); the deploy check
    # rightly warns about it, so it must not leak into the child process.
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "essor.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _run_essor(["check"], {"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_deploy_checks(tmp_path):
    result = _run_essor(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
            "ALLOWED_HOSTS": "essor.example.org",
            "EMAIL_SMTP_HOST": "smtp.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cache_urls():
    from essor.env import parse_cache_url

    assert parse_cache_url("db://essor_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "essor_cache",
    }
    assert parse_cache_url("redis://cache.internal:6379/1")["LOCATION"] == "redis://cache.internal:6379/1"
    assert parse_cache_url("memcached://m1:11211,m2:11211")["LOCATION"] == ["m1:11211", "m2:11211"]
    assert parse_cache_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="ESSOR_CACHE_URL"):
        parse_cache_url("file:///tmp/cache")


def _csp_and_tiles(env_overrides) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'essor.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(' '.join(s.SECURE_CSP['img-src'])); print(s.MAP_TILE_URL); print(s.MAP_TILE_ATTRIBUTION)"
    )
    env = {**os.environ, "DEBUG": "1", **env_overrides}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_tile_service_widens_the_csp_only_when_set():
    offline = _csp_and_tiles({"ESSOR_MAP_TILES": ""})
    assert "geopf" not in offline and "http" not in offline.splitlines()[0]
    ign = _csp_and_tiles({"ESSOR_MAP_TILES": "ign-plan"}).splitlines()
    assert ign[0].split()[-1] == "https://data.geopf.fr"
    assert "PLANIGNV2" in ign[1] and "{z}" in ign[1] and "IGN" in ign[2]


PRODUCTION_CHECK = """
import re
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", "--no-input", verbosity=0)
client = Client()
page = client.get("/fr/", secure=True, HTTP_HOST="essor.example.org")
css = re.search(r'href="(/static/core/essor[^"]+\\.css)"', page.content.decode()).group(1)
static = client.get(css, secure=True, HTTP_HOST="essor.example.org", HTTP_ACCEPT_ENCODING="gzip")
print("STATIC", static.status_code, static.get("Cache-Control"), static.get("Content-Encoding"))
switched = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, secure=True,
                       HTTP_HOST="essor.example.org")
print("COOKIE", switched.cookies["django_language"].output())
"""


def test_production_serves_static_files_and_sets_a_secure_language_cookie(tmp_path):
    """Issue 16 §8: under gunicorn (no DEBUG) the hashed static files are served by WhiteNoise with long caching,
    and the language cookie is Secure, SameSite=Lax and HttpOnly."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "essor.example.org",
        "EMAIL_SMTP_HOST": "smtp.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ESSOR_STATIC_COMPRESS": "0",  # brotli over 12 MB takes minutes on a loaded CI machine; serving is tested
    }
    migrated = _run_essor(["migrate", "--no-input", "-v", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    result = _run_essor(["shell", "-c", PRODUCTION_CHECK], env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    static_line = next(line for line in result.stdout.splitlines() if line.startswith("STATIC"))
    assert static_line.startswith("STATIC 200 max-age=315360000, public, immutable"), static_line
    cookie = next(line for line in result.stdout.splitlines() if line.startswith("COOKIE"))
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie, cookie
