"""A fresh clone works: the folders the site writes to are created, and a local .env makes `essor …` usable."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from essor.core.paths import ensure_local_dirs
from essor.core.urls_absolute import absolute_url
from essor.env import load_env_file, read_env_file, write_local_env

ROOT = Path(__file__).resolve().parents[2]


def run_essor(args, env_overrides, drop=("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "essor.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_fresh_clone_opens_its_database_in_folders_that_do_not_exist_yet(tmp_path):
    """`make demo` on a fresh clone stopped at migrate: 'unable to open database file' (var/ is git-ignored)."""
    database = tmp_path / "nowhere" / "yet" / "essor.sqlite3"
    data = tmp_path / "elsewhere" / "data"
    result = run_essor(
        ["showmigrations", "core"],
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{database}",
            "ESSOR_DATA_DIR": str(data),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
        },
    )
    assert result.returncode == 0, result.stderr
    assert database.parent.is_dir() and data.is_dir() and (tmp_path / "media").is_dir()
    assert (tmp_path / "static").is_dir()  # WhiteNoise warns (a test error) when STATIC_ROOT is missing


def test_a_folder_that_cannot_be_created_is_named(tmp_path, settings):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.DATA_DIR = blocker / "data"
    with pytest.raises(ImproperlyConfigured, match="a-file/data"):
        ensure_local_dirs()


def test_the_local_env_file_makes_commands_work_without_exported_variables(tmp_path):
    """After `make demo`, `essor sirene ingest …` stopped on 'SECRET_KEY is required'."""
    env_file = tmp_path / ".env"
    without = run_essor(["check"], {"ESSOR_ENV_FILE": str(env_file)})
    assert without.returncode != 0 and "SECRET_KEY" in without.stderr
    assert write_local_env(env_file)
    with_file = run_essor(["check"], {"ESSOR_ENV_FILE": str(env_file)})
    assert with_file.returncode == 0, with_file.stderr


def test_the_environment_wins_over_the_local_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=short\n")
    result = run_essor(
        ["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        {"ESSOR_ENV_FILE": str(env_file), "DEBUG": "0"},
    )
    # DEBUG=0 from the environment, so the file's too-short key is refused as it would be in production.
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_the_local_env_file_is_written_once_private_and_with_a_long_random_key(tmp_path):
    env_file = tmp_path / ".env"
    assert write_local_env(env_file)
    first = read_env_file(env_file)
    assert first["DEBUG"] == "1" and len(first["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert not write_local_env(env_file) and read_env_file(env_file) == first
    other = tmp_path / "other.env"
    write_local_env(other)
    assert read_env_file(other)["SECRET_KEY"] != first["SECRET_KEY"]


def test_env_file_syntax_and_errors_name_the_line(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\n\nexport ESSOR_TEST_A='quoted value'\nESSOR_TEST_B=\"x=y\"\n")
    monkeypatch.delenv("ESSOR_TEST_A", raising=False)
    monkeypatch.setenv("ESSOR_TEST_B", "from the environment")
    assert load_env_file(env_file) == env_file
    assert (
        os.environ["ESSOR_TEST_A"] == "quoted value" and os.environ["ESSOR_TEST_B"] == "from the environment"
    )
    monkeypatch.delenv("ESSOR_TEST_A")
    assert load_env_file(tmp_path / "absent.env") is None and load_env_file(None) is None
    env_file.write_text("OK=1\nthis is not a setting\n")
    with pytest.raises(ImproperlyConfigured, match=r"\.env, line 2"):
        read_env_file(env_file)


def test_absolute_urls_come_from_the_request_else_from_site_url(settings):
    settings.SITE_URL = "https://essor.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "essor.example.org"]
    request = RequestFactory().get("/fr/", HTTP_HOST="127.0.0.1:8101")
    assert absolute_url("/fr/formations/", request) == "http://127.0.0.1:8101/fr/formations/"
    secure = RequestFactory().get("/fr/", HTTP_HOST="essor.example.org", secure=True)
    assert absolute_url("/api/v1/x", secure) == "https://essor.example.org/api/v1/x"
    assert absolute_url("/fr/formations/") == "https://essor.example.org/fr/formations/"
    assert absolute_url("fr/x") == "https://essor.example.org/fr/x"
    assert absolute_url("https://elsewhere.example/x", request) == "https://elsewhere.example/x"
