"""`essor sirene download` against a real HTTP server on 127.0.0.1 (Range support) and a fake dataset API."""

import hashlib
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from essor.sirene import download as dl

FILES = {
    "StockUniteLegale_utf8.parquet": b"UNITS" * 20_000,
    "StockEtablissement_utf8.parquet": b"ETABS" * 50_000,
    "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.parquet": b"GEO" * 30_000,
    "StockEtablissement_utf8.zip": b"ZIPPED" * 1000,
    "StockUniteLegale_utf8.zip": b"UZIP" * 1000,
    "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip": b"GZIP" * 1000,
    "StockEtablissementHistorique_utf8.parquet": b"HISTORY",
}


class Handler(SimpleHTTPRequestHandler):
    """Serves /api/1/datasets/<id>/ from server.datasets and /files/<name> with Range support."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        if self.path.startswith("/api/1/datasets/"):
            dataset = self.path.split("/")[4]
            body = json.dumps(server.datasets.get(dataset, {"resources": []})).encode()
            self.send_response(200 if dataset in server.datasets else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        name = self.path.rsplit("/", 1)[-1]
        data = server.payloads.get(name)
        if data is None:
            self.send_error(404)
            return
        start = 0
        wanted = self.headers.get("Range")
        if wanted and server.honour_range:
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])


def resource(base, name, title, checksum=True, size=None, modified="2026-11-02T08:00:00"):
    data = FILES[name]
    entry = {
        "title": title,
        "url": f"{base}/files/{name}",
        "format": name.rsplit(".", 1)[-1],
        "filesize": len(data) if size is None else size,
        "last_modified": modified,
        "checksum": {"type": "sha1", "value": hashlib.sha1(data).hexdigest()} if checksum else None,  # noqa: S324
    }
    return entry


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    httpd.honour_range = True
    httpd.payloads = dict(FILES)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.base = base
    httpd.datasets = {
        dl.SIRENE_DATASET: {
            "resources": [
                resource(base, "StockEtablissementHistorique_utf8.parquet", "Sirene : Fichier StockEtablissementHistorique"),
                resource(base, "StockUniteLegale_utf8.parquet", "Sirene : Fichier StockUniteLegale du 01 Novembre 2026"),
                resource(base, "StockEtablissement_utf8.parquet", "Sirene : Fichier StockEtablissement du 01 Novembre 2026"),
                resource(base, "StockUniteLegale_utf8.zip", "Sirene : Fichier StockUniteLegale du 01 Novembre 2026"),
                resource(base, "StockEtablissement_utf8.zip", "Sirene : Fichier StockEtablissement du 01 Novembre 2026"),
            ]
        },
        dl.GEOLOCALISATION_DATASET: {
            "resources": [
                resource(base, "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.parquet",
                         "Géolocalisation des établissements (parquet)", checksum=False),
                resource(base, "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip",
                         "Géolocalisation des établissements (csv zippé)"),
            ]
        },
    }  # fmt: skip
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def api(server, monkeypatch):
    monkeypatch.setenv("ESSOR_DATAGOUV_API", f"{server.base}/api/1")
    return server


def test_downloads_the_three_current_parquet_files_and_verifies_them(api, tmp_path):
    results = dl.download(tmp_path)
    names = sorted(path.name for _, path, _ in results)
    assert names == sorted(
        ["StockUniteLegale_utf8.parquet", "StockEtablissement_utf8.parquet",
         "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.parquet"]
    )  # fmt: skip
    for _, path, fetched in results:
        assert fetched and path.read_bytes() == FILES[path.name]
    assert not list(tmp_path.glob("*.part"))
    assert "StockEtablissementHistorique" not in " ".join(path for path, _ in api.requests)


def test_csv_format_takes_the_zipped_files(api, tmp_path):
    results = dl.download(tmp_path, fmt="csv")
    assert sorted(path.suffix for _, path, _ in results) == [".zip", ".zip", ".zip"]


def test_a_second_run_downloads_nothing(api, tmp_path):
    dl.download(tmp_path)
    before = len(api.requests)
    results = dl.download(tmp_path)
    assert all(not fetched for _, _, fetched in results)
    assert all(path.startswith("/api/") for path, _ in api.requests[before:])


def test_resumes_a_partial_download_with_a_range_request(api, tmp_path):
    name = "StockEtablissement_utf8.parquet"
    (tmp_path / f"{name}.part").write_bytes(FILES[name][:100_000])
    dl.download(tmp_path)
    assert (tmp_path / name).read_bytes() == FILES[name]
    assert (f"/files/{name}", "bytes=100000-") in api.requests


def test_restarts_when_the_server_ignores_range(api, tmp_path):
    api.honour_range = False
    name = "StockEtablissement_utf8.parquet"
    (tmp_path / f"{name}.part").write_bytes(b"garbage" * 100)
    dl.download(tmp_path)
    assert (tmp_path / name).read_bytes() == FILES[name]


def test_checksum_mismatch_is_a_clear_error_and_leaves_no_file(api, tmp_path):
    name = "StockUniteLegale_utf8.parquet"
    api.payloads[name] = b"X" * len(FILES[name])  # same size, other bytes
    with pytest.raises(dl.DownloadError, match=f"{name}: sha1 checksum mismatch"):
        dl.download(tmp_path)
    assert not (tmp_path / name).exists() and not (tmp_path / f"{name}.part").exists()


def test_size_mismatch_is_a_clear_error(api, tmp_path):
    name = "StockUniteLegale_utf8.parquet"
    api.payloads[name] = FILES[name][:-10]
    with pytest.raises(dl.DownloadError, match=f"{name}: size mismatch, expected {len(FILES[name])} bytes"):
        dl.download(tmp_path)
    assert not (tmp_path / name).exists()


def test_missing_resource_names_the_dataset(api, tmp_path):
    api.datasets[dl.GEOLOCALISATION_DATASET]["resources"] = []
    with pytest.raises(dl.DownloadError, match="No parquet resource for GeolocalisationEtablissement"):
        dl.download(tmp_path)


def test_command_prints_the_next_ingest_command(api, tmp_path, capsys):
    call_command("sirene", "download", "--dest", str(tmp_path))
    out = capsys.readouterr().out
    assert "essor sirene ingest --unites-legales" in out
    assert "--vintage 2026-11-01" in out
    assert Path(tmp_path / "StockUniteLegale_utf8.parquet").exists()


def test_command_error_when_the_api_is_unreachable(monkeypatch, tmp_path):
    monkeypatch.setenv("ESSOR_DATAGOUV_API", "http://127.0.0.1:9/api/1")
    with pytest.raises(CommandError, match="Cannot read the dataset description"):
        call_command("sirene", "download", "--dest", str(tmp_path))
