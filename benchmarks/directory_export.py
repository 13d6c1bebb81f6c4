"""How long the national directory export holds a web worker: immediate, then through the task worker.

    DATABASE_URL=... ESSOR_DATA_DIR=... DEBUG=1 .venv/bin/python benchmarks/directory_export.py [--fmt csv]

On the serving release, in-process through Django's WSGI handler (no network): the time the immediate export takes
from the request to the last byte (what a gunicorn worker was held for), then, with the background threshold in
force, the time the request takes to answer with its status page (the task is queued in the database, as in
production) and the time `essor db_worker` spends writing the file (run here in-process). Prints JSON.
"""

import argparse
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fmt", default="csv", choices=["csv", "geojson", "xlsx"])
    parser.add_argument("--territory", default="france/FR", help="KIND/CODE (default: the national export)")
    args = parser.parse_args()
    django.setup()
    from django.test import Client, override_settings

    from essor.observatory import export_jobs
    from essor.observatory.models import DirectoryExport
    from essor.sirene.models import Release

    url = f"/fr/observatoire/territoires/{args.territory}/annuaire.{args.fmt}"
    client = Client(HTTP_HOST="localhost")
    unlimited = {"directory-export": "0", "api": "0", "api-key": "0"}
    result = {"release": Release.objects.active().pk, "url": url}

    with override_settings(ESSOR_RATE_LIMITS=unlimited, ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS=10**9):
        started = time.perf_counter()
        response = client.get(url)
        size = (
            sum(len(chunk) for chunk in response.streaming_content)
            if response.streaming
            else len(response.content)
        )
        result["immediate"] = {
            "status": response.status_code,
            "bytes": size,
            "s": round(time.perf_counter() - started, 2),
        }

    with override_settings(ESSOR_RATE_LIMITS=unlimited):
        started = time.perf_counter()
        response = client.get(url)
        answered = time.perf_counter() - started
        export = DirectoryExport.objects.order_by("-pk").first()
        started = time.perf_counter()
        export_jobs.write_export.call(export.pk)
        written = time.perf_counter() - started
        export.refresh_from_db()
        result["background"] = {
            "status": response.status_code,
            "rows": export.rows,
            "request_s": round(answered, 3),
            "worker_s": round(written, 2),
            "bytes": export_jobs.file_path(export).stat().st_size,
            "state": export.status,
        }
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
