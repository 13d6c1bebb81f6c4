"""Signals of the SIRENE pipeline.

`release_built` is sent with `release=` (a Release with status "building" whose tables are fully written) just
BEFORE it is switched in, inside the ingestion: receivers may precompute from it (caches, aggregates). A receiver
that raises aborts the release: it is marked failed and the previous release keeps serving. With `duckdb=`: the
pipeline's DuckDB connection, where the views `release_ess` and `release_counts` hold the release's rows as
written to the database (essor.sirene.writer.create_views), so a receiver need not read them back.
"""

from django.dispatch import Signal

release_built = Signal()
