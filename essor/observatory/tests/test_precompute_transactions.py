"""The precomputation holds no long write transaction: figures are computed outside any transaction and written
in short batches, so other writers (a sign-in) get the database between batches (issue 16 §4)."""

import pytest
from django.db import connection

from essor.observatory import precompute
from essor.observatory.models import IndicatorSnapshot
from essor.observatory.tests.conftest import build_release, build_territories


@pytest.mark.django_db(transaction=True)
def test_snapshots_are_written_in_short_transactions(monkeypatch):
    build_territories()
    release = build_release()
    seen = []
    real_bulk_all = precompute.bulk_all

    def watched(*args, **kwargs):
        for item in real_bulk_all(*args, **kwargs):
            seen.append(connection.in_atomic_block)  # computing the next figures: no transaction open
            yield item

    monkeypatch.setattr(precompute, "bulk_all", watched)
    monkeypatch.setattr(precompute, "BATCH", 3)
    written = precompute.precompute_release(release)
    assert len(seen) > 3 and not any(seen)
    assert IndicatorSnapshot.objects.filter(release=release).count() == sum(
        n for kind, n in written.items() if kind != "seconds"
    )


@pytest.mark.django_db(transaction=True)
def test_a_failure_removes_the_snapshots_written_so_far(monkeypatch):
    build_territories()
    release = build_release()
    real_bulk_all = precompute.bulk_all

    def failing(*args, **kwargs):
        for n, item in enumerate(real_bulk_all(*args, **kwargs)):
            if n == 5:
                raise RuntimeError("figures failed")
            yield item

    monkeypatch.setattr(precompute, "bulk_all", failing)
    monkeypatch.setattr(precompute, "BATCH", 2)
    with pytest.raises(RuntimeError, match="figures failed"):
        precompute.precompute_release(release)
    assert not IndicatorSnapshot.objects.filter(release=release).exists()
