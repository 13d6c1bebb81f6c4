"""A name with a comma or a quote far down a table stays one field in the CSV and the Parquet file."""

import csv

import duckdb

from essor.diffusion import opendata_files
from essor.diffusion.tables import Column, Table

TABLE = Table(
    name="names",
    title_fr="Noms",
    title_en="Names",
    description="Test table.",
    columns=(
        Column("id", "integer", ""),
        Column("name", "string", ""),
        Column("zone", "string", ""),
        Column("population", "integer", ""),
    ),  # fmt: skip
)


def test_a_comma_in_a_quoted_name_after_the_sniffing_sample_is_kept(tmp_path):
    """The all-France demo stopped: "CA Beaune, Côte et Sud - …" on line 37,431 was split in two fields."""
    rows = [(i, "plain name", "all", i) for i in range(40_000)]
    rows += [(40_001, "CA Beaune, Côte et Sud", "all", 5), (40_002, 'Le "Phare"', "", None)]
    csv_path, parquet_path = tmp_path / "t.csv", tmp_path / "t.parquet"
    con = opendata_files.connect()
    relation = opendata_files.load_computed(con, TABLE, rows)
    assert opendata_files.write(con, TABLE, relation, csv_path, parquet_path) == 40_002
    with csv_path.open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == ["id", "name", "zone", "population"]
    assert read[-2:] == [["40001", "CA Beaune, Côte et Sud", "all", "5"], ["40002", 'Le "Phare"', "", ""]]
    assert csv_path.read_text(encoding="utf-8").endswith('40002,"Le ""Phare""",,\n')
    parquet = duckdb.sql(
        f"SELECT name, zone, population FROM read_parquet('{parquet_path}') WHERE id > 40000"
    )
    assert parquet.fetchall() == [("CA Beaune, Côte et Sud", "all", 5), ('Le "Phare"', None, None)]
