"""Signals of the SIRENE pipeline.

`release_built` is sent with `release=` (a Release with status "building" whose tables are fully written) just
BEFORE it is switched in, inside the ingestion: receivers may precompute from it (caches, aggregates). A receiver
that raises aborts the release: it is marked failed and the previous release keeps serving.
"""

from django.dispatch import Signal

release_built = Signal()
