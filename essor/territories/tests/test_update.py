"""`essor territories update`: downloads from configurable URLs, verifies, loads; tested on 127.0.0.1 only."""

import base64
import gzip
import hashlib
import io
import json
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from essor.territories.download import DEFAULT_URLS, configured_urls
from essor.territories.models import Commune, ReferenceLoad
from essor.territories.tests.fixtures import write_subset

OCCITANIE = ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """A static HTTP server on 127.0.0.1 serving tmp_path/www; yields (root directory, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def publish(root, base, subset, *, version="6.0.1", rename=None, bad_integrity=False, bad_checksum=False):
    """Publish a subset as the npm registry and data.gouv.fr would: metadata + tarball, dataset + GeoJSON."""
    decoupage = subset / "decoupage-administratif-6.0.0"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:

        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

        package = json.loads((decoupage / "package.json").read_text())
        add("package/package.json", json.dumps({**package, "version": version}).encode())
        for name in ("regions", "departements", "communes", "epci", "ept"):
            rows = json.loads(gzip.decompress((decoupage / f"{name}.json.gz").read_bytes()))
            if name == "communes" and rename:
                for row in rows:
                    if row["code"] == rename[0]:
                        row["nom"] = rename[1]
            add(f"package/data/{name}.json", json.dumps(rows).encode())
    tarball = buffer.getvalue()
    (root / "decoupage.tgz").write_bytes(tarball)
    digest = hashlib.sha512(b"tampered" if bad_integrity else tarball).digest()
    meta = {"version": version, "dist": {"tarball": f"{base}/decoupage.tgz"}}
    meta["dist"]["integrity"] = "sha512-" + base64.b64encode(digest).decode()
    (root / "latest.json").write_text(json.dumps(meta))

    geojson = (subset / "qpv2024" / "qpv2024_france_wgs84.geojson.gz").read_bytes()
    (root / "qpv2024.geojson.gz").write_bytes(geojson)
    checksum = hashlib.sha256(b"tampered" if bad_checksum else geojson).hexdigest()
    dataset = {
        "resources": [
            {"title": "Liste des QPV (CSV)", "format": "csv", "url": f"{base}/nothing.csv"},
            {
                "title": "Contours des QPV 2024 (GeoJSON)",
                "format": "geojson",
                "url": f"{base}/qpv2024.geojson.gz",
                "checksum": {"type": "sha256", "value": checksum},
                "last_modified": "2026-06-01T00:00:00",
            },
        ]
    }
    (root / "dataset.json").write_text(json.dumps(dataset))
    return {"decoupage": f"{base}/latest.json", "qpv2024": f"{base}/dataset.json"}


@pytest.fixture(scope="session")
def subset(tmp_path_factory):
    # Occitanie: the update keeps the vendored QPV 2015 sample, which covers this région.
    return write_subset(tmp_path_factory.mktemp("upstream") / "data", OCCITANIE)


def run_update(dest):
    out = io.StringIO()
    call_command("territories", "update", "--dest", str(dest), stdout=out)
    return out.getvalue()


def test_urls_default_to_the_official_sources_and_can_be_configured(settings):
    settings.TERRITORIES_URLS = {}
    settings.TERRITORIES_DECOUPAGE_URL = settings.TERRITORIES_QPV2024_URL = ""
    assert configured_urls() == DEFAULT_URLS
    assert configured_urls()["decoupage"].startswith(
        "https://registry.npmjs.org/@etalab/decoupage-administratif"
    )
    assert configured_urls()["qpv2024"].startswith("https://www.data.gouv.fr/api/1/datasets/")
    settings.TERRITORIES_URLS = {"qpv2024": "http://127.0.0.1:1/q.geojson"}
    settings.TERRITORIES_DECOUPAGE_URL = "http://127.0.0.1:1/d.tgz"
    assert configured_urls() == {
        "decoupage": "http://127.0.0.1:1/d.tgz",
        "qpv2024": "http://127.0.0.1:1/q.geojson",
        "qpv2024_population": "",  # INSEE's population file: fetched only when configured
    }


@pytest.mark.django_db
def test_update_downloads_verifies_and_loads(server, subset, tmp_path, settings):
    root, base = server
    urls = publish(root, base, subset, rename=("31555", "Toulouse (mise à jour)"))
    settings.TERRITORIES_URLS = urls

    output = run_update(tmp_path / "dest")

    assert "version 6.0.1" in output and "Reference loaded" in output
    assert Commune.objects.get(code="31555").name == "Toulouse (mise à jour)"
    load = ReferenceLoad.objects.get()
    assert {f["version"] for f in load.files if f["role"].startswith("decoupage")} == {"6.0.1"}
    assert (tmp_path / "dest" / "decoupage-administratif-6.0.1" / "communes.json.gz").is_file()
    assert (tmp_path / "dest" / "qpv2024" / "qpv2024.geojson.gz").is_file()
    # Nothing new upstream: the next update changes nothing and says so.
    assert "No change" in run_update(tmp_path / "dest")


@pytest.mark.django_db
def test_a_dry_run_update_verifies_and_counts_but_keeps_the_files_and_the_database(
    server, subset, tmp_path, settings
):
    root, base = server
    settings.TERRITORIES_URLS = publish(root, base, subset)
    (tmp_path / "dest").mkdir()
    (tmp_path / "dest" / "keep.txt").write_text("previous files")
    out = io.StringIO()

    call_command("territories", "update", "--dest", str(tmp_path / "dest"), "--dry-run", stdout=out)

    output = out.getvalue()
    assert "version 6.0.1" in output and "Dry run: nothing was written." in output
    assert [line.split()[1] for line in output.splitlines() if line.startswith("commune ")] != ["0"]
    assert not Commune.objects.exists() and not ReferenceLoad.objects.exists()
    assert [p.name for p in (tmp_path / "dest").iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no download left behind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"bad_integrity": True}, "integrity check failed"), ({"bad_checksum": True}, "checksum check failed")],
)
def test_update_refuses_files_that_do_not_verify(server, subset, tmp_path, settings, kwargs, message):
    root, base = server
    settings.TERRITORIES_URLS = publish(root, base, subset, **kwargs)
    (tmp_path / "dest").mkdir()
    (tmp_path / "dest" / "keep.txt").write_text("previous files")

    with pytest.raises(CommandError, match=message):
        run_update(tmp_path / "dest")

    assert not Commune.objects.exists() and not ReferenceLoad.objects.exists()
    assert (tmp_path / "dest" / "keep.txt").read_text() == "previous files"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial download left


@pytest.mark.django_db
def test_update_reports_an_unreachable_source(server, subset, tmp_path, settings):
    root, base = server
    urls = publish(root, base, subset)
    settings.TERRITORIES_URLS = {**urls, "qpv2024": f"{base}/missing.json"}
    with pytest.raises(CommandError, match=r"missing\.json: HTTP 404"):
        run_update(tmp_path / "dest")
    assert not ReferenceLoad.objects.exists()
