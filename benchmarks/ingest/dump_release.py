"""Dump what a release says, in a stable text form, to diff two ingestions of the same files.

    python benchmarks/ingest/dump_release.py WORKDIR/bench.sqlite3 OUT_DIR

Writes OUT_DIR/report.json (quality report and summary, timings left out), snapshots.jsonl (every indicator
snapshot, keys sorted), counts.tsv and ess.tsv (the release's rows, sorted). `diff -r` of two dumps must be empty
when a change of the pipeline keeps its figures. The release ids are left out (they differ between databases).
"""

import json
import sqlite3
import sys
from pathlib import Path


def main() -> None:
    database, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(database)
    release_id, report, summary = con.execute(
        "SELECT id, report, summary FROM sirene_release WHERE is_active ORDER BY id DESC LIMIT 1"
    ).fetchone()
    document = {"report": json.loads(report), "summary": json.loads(summary)}
    (out / "report.json").write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False))
    with (out / "snapshots.jsonl").open("w") as handle:
        rows = con.execute(
            "SELECT kind, code, zone, data FROM observatory_indicatorsnapshot WHERE release_id = ? "
            "ORDER BY kind, code, zone",
            [release_id],
        )
        for kind, code, zone, data in rows:
            handle.write(f"{kind}\t{code}\t{zone}\t{json.dumps(json.loads(data), sort_keys=True)}\n")
    for table, name in (("sirene_establishmentcount", "counts"), ("sirene_essestablishment", "ess")):
        columns = [
            row[1] for row in con.execute(f"PRAGMA table_info({table})") if row[1] not in ("id", "release_id")
        ]
        query = f"SELECT {', '.join(columns)} FROM {table} WHERE release_id = ? ORDER BY {', '.join(columns)}"  # noqa: S608
        with (out / f"{name}.tsv").open("w") as handle:
            handle.write("\t".join(columns) + "\n")
            for row in con.execute(query, [release_id]):
                handle.write("\t".join("" if v is None else str(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
