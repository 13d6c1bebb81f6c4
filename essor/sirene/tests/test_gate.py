"""Bad files stop before the switch (issue 16 §1): one test per case, each with a message naming the file, the
line or column, and the rule; the previous release keeps serving and the failed one keeps its report."""

import zipfile

import duckdb
import pytest

from essor.sirene import formats
from essor.sirene import synth_formats as layouts
from essor.sirene.models import Release, ReleaseStatus
from essor.sirene.release import ingest
from essor.sirene.tests.builders import etab, unit, write_file, write_inputs


def good_rows(n=60):
    units = [unit(f"2{i:08d}", ess="O" if i % 3 == 0 else "N", cj="9220") for i in range(n)]
    etabs = [etab(f"2{i:08d}", 1) for i in range(n)]
    return units, etabs


@pytest.fixture
def serving(small_reference, tmp_path):
    units, etabs = good_rows()
    return ingest(write_inputs(tmp_path / "good", units, etabs)).release


def refused(paths, match):
    with pytest.raises(formats.SireneInputError, match=match) as error:
        ingest(paths)
    return str(error.value)


def check_previous_serves(serving):
    assert Release.objects.active() == serving


def test_header_only_establishments_file(serving, tmp_path):
    units, _ = good_rows()
    paths = write_inputs(tmp_path / "in", units, [])
    message = refused(paths, r"StockEtablissement file StockEtablissement_utf8.csv: no data row")
    assert "not switched in" in message
    check_previous_serves(serving)
    failed = Release.objects.get(status=ReleaseStatus.FAILED)
    assert failed.report["gate"]["passed"] is False and failed.report["gate"]["reasons"]


def test_one_unclosed_quote_is_counted_exactly_and_stops(serving, tmp_path):
    units, etabs = good_rows()
    paths = write_inputs(tmp_path / "in", units, etabs)
    lines = paths["etablissements"].read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("DES LILAS", '"DES LILAS', 1)  # the quote is never closed
    paths["etablissements"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(paths, r"StockEtablissement file .*: 56 of 60 lines are malformed \(first at line 6\)")
    assert "the rule allows 10" in message
    check_previous_serves(serving)


def test_a_10_mb_single_line_is_one_malformed_line(serving, tmp_path):
    units, etabs = good_rows()
    paths = write_inputs(tmp_path / "in", units, etabs)
    with paths["etablissements"].open("a", encoding="utf-8") as handle:
        handle.write("2000000000,00001," + "x" * 10_000_000 + "\n")
    release = ingest(paths).release  # a few malformed lines do not stop a release...
    assert release.report["malformed_lines"]["etablissements"]["count"] == 1
    assert release.report["malformed_lines"]["etablissements"]["sample"][0]["line"] == 62
    # ...but a file that is one 10 MB line is not a file of establishments.
    (tmp_path / "one").mkdir()
    single = tmp_path / "one" / "StockEtablissement_utf8.csv"
    single.write_text("x" * 10_000_000, encoding="utf-8")
    refused({**paths, "etablissements": single}, r"StockEtablissement file .*: missing required column")


def parquet_etabs(tmp_path, replace: dict[str, str]) -> dict:
    """The good files, with the establishments as Parquet whose columns in `replace` are re-typed."""
    units, etabs = good_rows()
    paths = write_inputs(tmp_path / "in", units, etabs)
    source = write_file(tmp_path / "pq", layouts.ETABLISSEMENTS, etabs, "parquet")
    target = tmp_path / "pq" / "retyped.parquet"
    columns = ", ".join(f"{expr} AS {name}" for name, expr in replace.items())
    duckdb.connect().execute(
        f"COPY (SELECT * REPLACE ({columns}) FROM read_parquet('{source}')) TO '{target}' (FORMAT parquet)"
    )
    return {**paths, "etablissements": target}


@pytest.mark.parametrize(
    ("replace", "match"),
    [
        ({"siret": "CAST(siret AS DOUBLE)"}, r"column siret is DOUBLE, expected VARCHAR or .*never a float"),
        ({"codeCommuneEtablissement": "CAST(codeCommuneEtablissement AS INTEGER)"},
         r"column codeCommuneEtablissement is INTEGER, expected VARCHAR \(a code is text"),
        ({"etatAdministratifEtablissement": "etatAdministratifEtablissement = 'A'"},
         r"column etatAdministratifEtablissement is BOOLEAN, expected VARCHAR \(the state is a letter"),
    ],
)  # fmt: skip
def test_parquet_types_are_checked_per_column(serving, tmp_path, replace, match):
    paths = parquet_etabs(tmp_path, replace)
    refused(paths, r"StockEtablissement file retyped.parquet: " + match)
    check_previous_serves(serving)


@pytest.mark.parametrize("bad_date", ["0000-00-00", "2026-02-30", "hier"])
def test_dates_that_are_not_dates_are_counted_and_stop_when_many(serving, tmp_path, bad_date):
    units, etabs = good_rows()
    for row in etabs:
        row["dateCreationEtablissement"] = bad_date
    message = refused(write_inputs(tmp_path / "in", units, etabs),
                      r"column dateCreationEtablissement has 60 of 60 values outside its rule")  # fmt: skip
    assert repr(bad_date) in message
    check_previous_serves(serving)


def test_a_few_bad_dates_are_counted_not_fatal(serving, tmp_path):
    units, etabs = good_rows()
    etabs[0]["dateCreationEtablissement"] = "hier"
    etabs[1]["dateCreationEtablissement"] = "0004-05-01"  # a date, but implausible
    release = ingest(write_inputs(tmp_path / "in", units, etabs)).release
    assert release.report["invalid_values"]["etablissements"]["dateCreationEtablissement"]["count"] == 1
    assert release.report["creation_dates"]["invalid"] == 1
    assert release.report["creation_dates"]["implausible_top"] == [["0004-05-01", 1]]


def test_a_state_column_of_other_values_stops(serving, tmp_path):
    units, etabs = good_rows()
    for row in etabs:
        row["etatAdministratifEtablissement"] = "true"
    refused(write_inputs(tmp_path / "in", units, etabs),
            r"column etatAdministratifEtablissement has 60 of 60 values outside its rule \(e.g. 'true'\)")  # fmt: skip


def test_a_zip_with_two_csv_files_names_both(serving, tmp_path):
    units, etabs = good_rows()
    paths = write_inputs(tmp_path / "in", units, etabs, fmt="zip")
    with zipfile.ZipFile(paths["etablissements"], "a") as archive:
        archive.writestr("StockEtablissementHistorique_utf8.csv", "siren,siret\n" * 100)
    message = refused(paths, r"the zip archive holds 2 CSV files \(StockEtablissement_utf8.csv")
    assert "StockEtablissementHistorique_utf8.csv" in message
    check_previous_serves(serving)


def test_far_fewer_active_establishments_than_the_serving_release_stops_without_force(serving, tmp_path):
    units, etabs = good_rows()
    paths = write_inputs(tmp_path / "in", units[:40], etabs[:40])
    message = refused(paths, r"40 active establishments, below 98% of the 60 of the release serving")
    assert f"id {serving.pk}" in message and "--force" in message
    check_previous_serves(serving)
    forced = ingest(paths, force=True).release
    assert Release.objects.active() == forced and forced.report["gate"]["forced"]


def test_an_ess_count_that_moves_too_much_stops(serving, tmp_path):
    units, etabs = good_rows()
    for row in units:
        row["economieSocialeSolidaireUniteLegale"] = "O"  # 20 ESS -> 60
    refused(write_inputs(tmp_path / "in", units, etabs), r"60 ESS establishments, \+200.0% against the 20")
