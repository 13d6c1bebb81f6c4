"""`essor sirene download` against a real HTTP server on 127.0.0.1 (Range support) and a fake dataset API."""

import hashlib
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from essor.sirene import download as dl

STOCK = "/data-pipeline-open/siren/stock"
GEO = "/data-pipeline-open/siren/geoloc"
# Real-shaped resources of the two data.gouv.fr datasets: (path, title, payload), wanted files and decoys.
SIRENE_RESOURCES = [
    (
        f"{STOCK}/StockUniteLegaleHistorique_utf8.zip",
        "Sirene : Fichier StockUniteLegaleHistorique du 01 Novembre 2026",
        b"HIST",
    ),
    (
        f"{STOCK}/StockUniteLegale_utf8.zip",
        "Sirene : Fichier StockUniteLegale du 01 Novembre 2026",
        b"UZIP" * 1000,
    ),
    (
        f"{STOCK}/stock-stockunitelegale-parquet.parquet",
        "Sirene : Fichier StockUniteLegale - 01 novembre 2026 (format parquet)",
        b"UNITS" * 20_000,
    ),
    (
        f"{STOCK}/StockEtablissement_utf8.zip",
        "Sirene : Fichier StockEtablissement du 01 Novembre 2026",
        b"ZIPPED" * 1000,
    ),
    (
        f"{STOCK}/stock-stocketablissement-parquet.parquet",
        "Sirene : Fichier StockEtablissement - 01 novembre 2026 (format parquet)",
        b"ETABS" * 50_000,
    ),
    (
        f"{STOCK}/stock-stocketablissementhistorique-parquet.parquet",
        "Sirene : Fichier StockEtablissementHistorique - 01 novembre 2026 (format parquet)",
        b"HISTORY",
    ),
    (
        f"{STOCK}/StockEtablissementLiensSuccession_utf8.zip",
        "Sirene : Fichier StockEtablissementLiensSuccession du 01 Novembre 2026",
        b"LIENS",
    ),
    (f"{STOCK}/StockDoublons_utf8.zip", "Sirene : Fichier StockDoublons du 01 Novembre 2026", b"DOUBLONS"),
    (
        "/documentation/description-fichier-stocketablissement.pdf",
        "Description du fichier StockEtablissement",
        b"PDF",
    ),
]
GEO_RESOURCES = [
    (f"{GEO}/GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip", "Sirene : Fichier géolocalisation établissements - novembre 2026", b"GZIP" * 1000),
    (f"{GEO}/geoloc-geolocalisationetablissement-sirene-pour-etudes-statistiques-parquet.parquet", "Sirene : Fichier géolocalisation établissements - novembre 2026 (format parquet)", b"GEO" * 30_000),
    ("/documentation/geolocalisation-doc.pdf", "Documentation du fichier de géolocalisation", b"PDF2"),
]  # fmt: skip
FILES = {path.rsplit("/", 1)[-1]: data for path, _, data in SIRENE_RESOURCES + GEO_RESOURCES}
UL_PARQUET = "stock-stockunitelegale-parquet.parquet"
ETAB_PARQUET = "stock-stocketablissement-parquet.parquet"
GEO_PARQUET = "geoloc-geolocalisationetablissement-sirene-pour-etudes-statistiques-parquet.parquet"


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


def resource(base, path, title, data, checksum=True, modified="2026-11-02T08:00:00"):
    extension = path.rsplit(".", 1)[-1]
    return {
        "title": title,
        "url": f"{base}{path}",
        "format": {"zip": "zip", "parquet": "parquet", "pdf": "pdf"}[extension],
        "filesize": len(data),
        "last_modified": modified,
        "checksum": {"type": "sha1", "value": hashlib.sha1(data).hexdigest()} if checksum else None,
    }


def datasets(base, payloads=None, geo_checksum=False):
    """The two dataset descriptions; `payloads` {file name: bytes} replaces the served bytes (same titles)."""
    payloads = payloads or {}

    def entries(resources, checksum=True):
        return [resource(base, path, title, payloads.get(path.rsplit("/", 1)[-1], data), checksum)
                for path, title, data in resources]  # fmt: skip

    return {
        dl.SIRENE_DATASET: {"resources": entries(SIRENE_RESOURCES)},
        dl.GEOLOCALISATION_DATASET: {"resources": entries(GEO_RESOURCES, checksum=geo_checksum)},
    }


def serve(payloads=None):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    httpd.honour_range = True
    httpd.payloads = {**FILES, **(payloads or {})}
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.datasets = datasets(httpd.base, payloads)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def server():
    httpd = serve()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def api(server, settings):
    settings.DATAGOUV_API = f"{server.base}/api/1"
    return server


def test_downloads_the_three_current_parquet_files_and_verifies_them(api, tmp_path):
    results = dl.download(tmp_path)
    names = sorted(path.name for _, path, _ in results)
    assert names == sorted([UL_PARQUET, ETAB_PARQUET, GEO_PARQUET])
    for _, path, fetched in results:
        assert fetched and path.read_bytes() == FILES[path.name]
    assert not list(tmp_path.glob("*.part"))
    requested = " ".join(path for path, _ in api.requests).lower()
    assert not any(word in requested for word in ("historique", "liens", "doublons", ".pdf"))
    assert {r.vintage for r, _, _ in results} == {"2026-11-01"}


def test_csv_format_takes_the_zipped_files(api, tmp_path):
    results = dl.download(tmp_path, fmt="csv")
    assert sorted(path.name for _, path, _ in results) == [
        "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip", "StockEtablissement_utf8.zip",
        "StockUniteLegale_utf8.zip",
    ]  # fmt: skip


def test_zip_is_the_fallback_when_a_parquet_file_is_not_published(api, tmp_path, capsys):
    resources = api.datasets[dl.GEOLOCALISATION_DATASET]["resources"]
    resources[:] = [r for r in resources if not r["url"].endswith(".parquet")]
    call_command("sirene", "download", "--dest", str(tmp_path))
    out = capsys.readouterr().out
    assert "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques: zipped CSV (fallback" in out
    assert "StockEtablissement: Parquet (preferred format)" in out
    assert (tmp_path / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip").exists()


@pytest.mark.parametrize(
    ("title", "name", "role"),
    [
        ("Sirene : Fichier StockEtablissement - 01 septembre 2026 (format parquet)", "x.parquet", "etablissements"),
        ("", "stock-stocketablissement-parquet.parquet", "etablissements"),
        ("SIRENE : FICHIER STOCKUNITELEGALE DU 01 SEPTEMBRE 2026", "a.zip", "unites_legales"),
        ("Sirene : Fichier géolocalisation établissements - septembre 2026 (format parquet)", "g.parquet",
         "geolocalisation"),
        ("Sirene : Fichier GEOLOCALISATION ETABLISSEMENTS - septembre 2026", "g.zip", "geolocalisation"),
        ("", "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip", "geolocalisation"),
        ("Sirene : Fichier StockEtablissementHistorique du 01 septembre 2026", "h.zip", None),
        ("Sirene : Fichier StockEtablissementLiensSuccession", "l.zip", None),
        ("", "StockDoublons_utf8.zip", None),
        ("Documentation StockUniteLegale", "d.zip", None),
    ],
)  # fmt: skip
def test_resolution_rule_ignores_case_accents_and_decoys(title, name, role):
    assert dl.role_of(title, name) == role


def test_vintage_from_french_titles():
    assert (
        dl.vintage_of("Sirene : Fichier StockEtablissement - 01 septembre 2026 (format parquet)")
        == "2026-09-01"
    )
    assert dl.vintage_of("Sirene : Fichier géolocalisation établissements - Décembre 2026") == "2026-12-01"
    assert dl.vintage_of("Sirene : Fichier StockDoublons") is None


def test_a_second_run_downloads_nothing(api, tmp_path):
    dl.download(tmp_path)
    before = len(api.requests)
    results = dl.download(tmp_path)
    assert all(not fetched for _, _, fetched in results)
    assert all(path.startswith("/api/") for path, _ in api.requests[before:])


def test_resumes_a_partial_download_with_a_range_request(api, tmp_path):
    name = ETAB_PARQUET
    (tmp_path / f"{name}.part").write_bytes(FILES[name][:100_000])
    dl.download(tmp_path)
    assert (tmp_path / name).read_bytes() == FILES[name]
    assert (f"{STOCK}/{name}", "bytes=100000-") in api.requests


def test_restarts_when_the_server_ignores_range(api, tmp_path):
    api.honour_range = False
    name = ETAB_PARQUET
    (tmp_path / f"{name}.part").write_bytes(b"garbage" * 100)
    dl.download(tmp_path)
    assert (tmp_path / name).read_bytes() == FILES[name]


def test_checksum_mismatch_is_a_clear_error_and_leaves_no_file(api, tmp_path):
    name = UL_PARQUET
    api.payloads[name] = b"X" * len(FILES[name])  # same size, other bytes
    with pytest.raises(dl.DownloadError, match=f"{name}: sha1 checksum mismatch"):
        dl.download(tmp_path)
    assert not (tmp_path / name).exists() and not (tmp_path / f"{name}.part").exists()


def test_size_mismatch_is_a_clear_error(api, tmp_path):
    name = UL_PARQUET
    api.payloads[name] = FILES[name][:-10]
    with pytest.raises(dl.DownloadError, match=f"{name}: size mismatch, expected {len(FILES[name])} bytes"):
        dl.download(tmp_path)
    assert not (tmp_path / name).exists()


def test_missing_resource_names_the_dataset(api, tmp_path):
    api.datasets[dl.GEOLOCALISATION_DATASET]["resources"] = []
    with pytest.raises(
        dl.DownloadError, match=r"No parquet \(nor csv\) resource for GeolocalisationEtablissement"
    ):
        dl.download(tmp_path)


def test_command_prints_the_next_ingest_command(api, tmp_path, capsys):
    call_command("sirene", "download", "--dest", str(tmp_path))
    out = capsys.readouterr().out
    assert f"Next: essor sirene ingest --from {tmp_path}" in out
    assert Path(tmp_path / UL_PARQUET).exists()


def test_command_error_when_the_api_is_unreachable(settings, tmp_path):
    settings.DATAGOUV_API = "http://127.0.0.1:9/api/1"
    with pytest.raises(CommandError, match="Cannot read the dataset description"):
        call_command("sirene", "download", "--dest", str(tmp_path))


def test_ingest_from_finds_the_downloaded_files_and_their_vintage(api, tmp_path):
    from essor.sirene.folder import find_inputs

    dl.download(tmp_path)
    (tmp_path / "notes.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "StockEtablissement_utf8.zip").write_bytes(b"older zipped copy")
    found = find_inputs(tmp_path)
    assert {role: path.name for role, path in found.paths.items()} == {
        "unites_legales": UL_PARQUET, "etablissements": ETAB_PARQUET, "geolocalisation": GEO_PARQUET,
    }  # fmt: skip
    assert str(found.vintage) == "2026-11-01"
    assert "notes.csv" in found.ignored and "StockEtablissement_utf8.zip" in found.ignored


def test_ingest_from_a_folder_without_the_stocks_names_what_is_there(tmp_path):
    (tmp_path / "StockEtablissementHistorique_utf8.zip").write_bytes(b"x")
    with pytest.raises(
        CommandError, match="no StockUniteLegale nor StockEtablissement file found.*Historique"
    ):
        call_command("sirene", "ingest", "--from", str(tmp_path))
