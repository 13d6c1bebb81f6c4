"""The CSV batch's contract written the slow, obvious way: one line at a time, Python's csv and float(), no numpy
over bytes. The tests compare locate_csv's output with this one byte for byte."""

import numpy as np

from essor.territories import locate
from essor.territories.csv_columns import parse_line, write_fields
from essor.territories.locate_csv import ADDED_COLUMNS, SAMPLE_SIZE, detect_delimiter


def reference_output(index, source, lon_column="lon", lat_column="lat") -> tuple[bytes, dict]:
    """(output bytes, summary) of `essor qpv locate --csv` on a WGS84 UTF-8 file, the delimiter detected."""
    data = source.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    first, _, body = data.partition(b"\n")
    header_text = first.decode("utf-8-sig")
    sep = detect_delimiter(header_text)
    header, _ = parse_line(header_text.rstrip("\r\n"), sep)
    names = [name.strip() for name in header]
    columns = (names.index(lon_column), names.index(lat_column))
    width = len(header)
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rows, errors, points = [], [], []
    for raw in lines:
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        if b'"' in raw:  # a line holding a quote is parsed by the csv module and written back re-quoted
            fields, error = parse_line(raw.decode("utf-8"), sep)
            text = write_fields(fields, sep)
        else:  # any other line is written back as read
            fields, error, text = raw.decode("utf-8").split(sep), None, raw
        if len(fields) < width:
            text += sep.encode() * (width - len(fields))
        elif len(fields) > width and not error:
            error = f"the row has {len(fields)} fields, the header {width}."
        point = []
        for column, name in zip(columns, ("lon", "lat"), strict=True):
            try:
                point.append(locate.parse_number(fields[column] if column < len(fields) else "", name))
            except ValueError as exc:
                error = error or str(exc)
        if not error:
            try:
                locate.check_range(point[0], "lon")
                locate.check_range(point[1], "lat")
            except ValueError as exc:
                error = str(exc)
        rows.append(text)
        errors.append(error)
        points.append(point if not error else [np.nan, np.nan])
    lon, lat = np.array(points, dtype=float).reshape(-1, 2).T
    valid = np.array([error is None for error in errors], dtype=bool)
    found = index.locate(lon[valid], lat[valid], method="exhaustive")
    qpv, nearest, distance = (np.full(len(rows), -1), np.full(len(rows), -1), np.full(len(rows), np.nan))
    qpv[valid], nearest[valid], distance[valid] = found.qpv, found.nearest, found.distance_m
    out = [(b"\xef\xbb\xbf" if bom else b"") + write_fields([*header, *ADDED_COLUMNS], sep) + b"\r\n"]
    summary = {"rows": len(rows), "inside": 0, "outside": 0, "invalid": 0, "invalid_samples": []}
    for i, text in enumerate(rows):
        if errors[i]:
            cells = ["", "", "", "", f"invalid: {errors[i]}"]
            summary["invalid"] += 1
            if len(summary["invalid_samples"]) < SAMPLE_SIZE:
                summary["invalid_samples"].append({"line": i + 2, "reason": errors[i]})
        elif qpv[i] >= 0:
            record = index.records[qpv[i]]
            cells = [record.code, record.name, record.code, "0.0", "inside"]
            summary["inside"] += 1
        else:
            code = index.records[nearest[i]].code if nearest[i] >= 0 else ""
            shown = str(np.round(distance[i], 1)) if nearest[i] >= 0 else ""
            cells = ["", "", code, shown, "outside"]
            summary["outside"] += 1
        out.append(text + sep.encode() + write_fields(cells, sep) + b"\r\n")
    return b"".join(out), summary
