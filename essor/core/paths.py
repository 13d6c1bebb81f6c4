"""The folders the site writes to exist before anything opens them, whatever the settings point to.

`var/` is git-ignored, so a fresh clone has none; ESSOR_DATA_DIR, MEDIA_ROOT or a SQLite DATABASE_URL may also
name folders elsewhere. Called when the apps are ready, before any command opens the database.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def local_dirs() -> list[Path]:
    """The SQLite databases' folders, the data folder, the uploads folder and the collected static files' folder
    (WhiteNoise warns, and the test suite fails, when STATIC_ROOT does not exist — as in a fresh clone)."""
    folders = [Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    for database in settings.DATABASES.values():
        name = str(database.get("NAME") or "")
        if (
            database.get("ENGINE", "").endswith("sqlite3")
            and name
            and not name.startswith(("file:", ":memory:"))
        ):
            folders.append(Path(name).parent)
    return folders


def ensure_local_dirs() -> list[Path]:
    """Create the missing folders; the ones created. A folder that cannot be created stops with its name."""
    created = []
    for folder in local_dirs():
        if folder.is_dir():
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImproperlyConfigured(f"Cannot create the folder {folder}: {exc.strerror}.") from exc
        created.append(folder)
    return created
