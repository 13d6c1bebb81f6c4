"""Issue 16 §2: a file that would empty the reference is refused (named, counted, with the way out); BOM accepted;
Latin-1 and 10 MB lines are clear errors. Nothing changes in the database on a refusal."""

import gzip
import io
import json

from django.core.management import call_command

from essor.territories.models import Qpv
from essor.territories.tests.test_loader_errors import QPV_FILE, fails_with, loaded, snapshot, subset_dir

__all__ = ["loaded", "subset_dir"]  # fixtures shared with test_loader_errors

QP2015_CSV = "qp2015-occitanie/qp2015_occitanie_caracteristiques.csv"


def write_qpv_features(source, features):
    path = source / QPV_FILE
    collection = json.loads(gzip.decompress(path.read_bytes()))
    collection["features"] = features(collection["features"])
    path.write_bytes(gzip.compress(json.dumps(collection).encode()))


def test_an_empty_qpv_geojson_is_refused(loaded):
    source, before = loaded
    assert Qpv.objects.filter(generation=2024).exists()
    write_qpv_features(source, lambda features: [])
    fails_with(source, "qpv2024_france_wgs84.geojson.gz", "no features", "nothing was changed")
    assert snapshot() == before


def test_a_load_removing_most_qpv_is_refused_unless_allowed(loaded):
    source, before = loaded
    total = Qpv.objects.filter(generation=2024).count()
    write_qpv_features(source, lambda features: features[:1])
    message = fails_with(
        source, "qpv2024_france_wgs84.geojson.gz", f"remove {total - 1} of the {total} qpv_2024"
    )
    assert "--allow-removals" in message and "10%" in message
    assert snapshot() == before
    out = io.StringIO()
    call_command("territories", "load", "--from", str(source), "--allow-removals", stdout=out)
    assert Qpv.objects.filter(generation=2024).count() == 1


def test_a_header_only_qp2015_csv_is_refused(loaded):
    source, before = loaded
    path = source / QP2015_CSV
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    fails_with(source, "qp2015_occitanie_caracteristiques.csv", "no data rows")
    assert snapshot() == before


def test_a_qp2015_csv_without_pop_mun_is_refused(loaded):
    source, before = loaded
    path = source / QP2015_CSV
    lines = path.read_text(encoding="utf-8").splitlines()
    drop = lines[0].split(",").index("pop_mun")
    rewritten = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines]
    path.write_text("\n".join(rewritten) + "\n", encoding="utf-8")
    fails_with(source, "qp2015_occitanie_caracteristiques.csv", "pop_mun missing")
    assert snapshot() == before


def test_a_bom_is_accepted_in_csv_and_geojson(loaded):
    source, before = loaded
    csv_path = source / QP2015_CSV
    csv_path.write_bytes(b"\xef\xbb\xbf" + csv_path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    qpv_path = source / QPV_FILE
    qpv_path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + gzip.decompress(qpv_path.read_bytes())))
    call_command("territories", "load", "--from", str(source), stdout=io.StringIO())
    after = snapshot()
    assert after["qpvs"] == before["qpvs"] and after["communes"] == before["communes"]


def test_latin1_csv_is_a_clear_error(loaded):
    source, before = loaded
    path = source / QP2015_CSV
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, lines[3].replace(lines[3].split(",")[1], "Quartier Séverine"))
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1", errors="replace"))
    fails_with(source, "qp2015_occitanie_caracteristiques.csv", "not UTF-8", "byte 0x")
    assert snapshot() == before


def test_a_ten_megabyte_line_is_a_clear_error(loaded):
    source, before = loaded
    path = source / QP2015_CSV
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '"' + "x" * 10_000_000 + '"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fails_with(source, "qp2015_occitanie_caracteristiques.csv", "line", "field larger than field limit")
    assert snapshot() == before
