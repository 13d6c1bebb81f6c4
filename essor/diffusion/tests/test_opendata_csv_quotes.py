"""A quoted name with a comma far down the CSV (past DuckDB's sniffing sample) stays one field in the Parquet."""

import duckdb

from essor.diffusion.opendata import _write_parquet


class _Column:
    def __init__(self, name, type_):
        self.name, self.type = name, type_


class _Table:
    columns = [_Column("id", "integer"), _Column("name", "string"), _Column("zone", "string"),
               _Column("population", "integer")]  # fmt: skip


def test_a_comma_in_a_quoted_name_after_the_sniffing_sample_is_kept(tmp_path):
    """The all-France demo stopped: "CA Beaune, Côte et Sud - …" on line 37,431 was split in two fields."""
    csv_path, parquet_path = tmp_path / "t.csv", tmp_path / "t.parquet"
    lines = ["id,name,zone,population"] + [f"{i},plain name,all,{i}" for i in range(40_000)]
    lines.append('40001,"CA Beaune, Côte et Sud",all,5')
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_parquet(_Table(), csv_path, parquet_path)
    row = duckdb.sql(
        f"SELECT name, population FROM read_parquet('{parquet_path}') WHERE id = 40001"
    ).fetchall()
    assert row == [("CA Beaune, Côte et Sud", 5)]
