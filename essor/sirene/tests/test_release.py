"""Releases: built aside, switched in atomically, idempotent, and a failed run leaves the previous one serving."""

import pytest

from essor.sirene import pipeline as pipeline_module
from essor.sirene import release as release_module
from essor.sirene.models import EssEstablishment, EstablishmentCount, Release, ReleaseStatus
from essor.sirene.release import ingest
from essor.sirene.signals import release_built
from essor.sirene.tests.builders import etab, unit, write_inputs


def files(tmp_path, name, n_units=2):
    units = [unit(f"20000000{i}", ess="O") for i in range(1, n_units + 1)]
    etabs = [etab(f"20000000{i}", 1) for i in range(1, n_units + 1)]
    return write_inputs(tmp_path / name, units, etabs)


@pytest.fixture
def first(small_reference, tmp_path):
    return ingest(files(tmp_path, "first"), vintage=None).release


def test_same_files_change_nothing_and_say_so(first, tmp_path):
    outcome = ingest(files(tmp_path, "first"))
    assert not outcome.changed and "nothing changed" in outcome.message
    assert outcome.release == first
    assert Release.objects.count() == 1


def test_new_files_switch_in_and_keep_the_previous_release(first, tmp_path):
    second = ingest(files(tmp_path, "second", n_units=3)).release
    assert Release.objects.active() == second
    first.refresh_from_db()
    assert first.status == ReleaseStatus.READY and not first.is_active
    assert EssEstablishment.objects.filter(release=first).count() == 2  # kept intact, ready to serve again
    third = ingest(files(tmp_path, "third", n_units=4)).release
    # Only the active release and the previous one are kept.
    assert set(Release.objects.values_list("pk", flat=True)) == {second.pk, third.pk}
    assert not EssEstablishment.objects.filter(release=first.pk).exists()


def test_a_failing_receiver_aborts_the_release_and_the_previous_one_keeps_serving(first, tmp_path):
    def broken_receiver(sender, release, **kwargs):
        assert release.status == ReleaseStatus.BUILDING and not release.is_active
        assert (
            EssEstablishment.objects.filter(release=release).count() == 3
        )  # fully written before the signal
        raise RuntimeError("precomputation failed")

    release_built.connect(broken_receiver)
    try:
        with pytest.raises(RuntimeError, match="precomputation failed"):
            ingest(files(tmp_path, "second", n_units=3))
    finally:
        release_built.disconnect(broken_receiver)
    assert Release.objects.active() == first
    failed = Release.objects.get(status=ReleaseStatus.FAILED)
    assert "precomputation failed" in failed.error
    assert not EssEstablishment.objects.filter(release=failed).exists()
    assert not EstablishmentCount.objects.filter(release=failed).exists()
    assert EssEstablishment.objects.filter(release=first).count() == 2


def test_ctrl_c_during_a_step_leaves_the_previous_release(first, tmp_path, monkeypatch):
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline_module.Pipeline, "geometry", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest(files(tmp_path, "second", n_units=3))
    assert Release.objects.active() == first
    assert Release.objects.get(status=ReleaseStatus.FAILED).error == "KeyboardInterrupt"


def test_a_release_left_building_by_kill_9_is_cleaned_at_the_next_run(first, tmp_path):
    stale = Release.objects.create(vintage=first.vintage, fingerprint="x" * 64, rules_version="old")
    EssEstablishment.objects.create(release=stale, siret="1" * 14, siren="1" * 9, name="x", family="association",
                                    legal_category="9220", ess_source="insee", zone="hors_qpv")  # fmt: skip
    second = ingest(files(tmp_path, "second", n_units=3)).release
    stale.refresh_from_db()
    assert stale.status == ReleaseStatus.FAILED and "Interrupted" in stale.error
    assert not EssEstablishment.objects.filter(release=stale).exists()
    assert Release.objects.active() == second


def test_vintage_from_option_or_file_name(small_reference, tmp_path):
    import datetime as dt

    release = ingest(files(tmp_path, "a"), vintage=dt.date(2026, 11, 1)).release
    assert release.vintage == dt.date(2026, 11, 1)
    paths = files(tmp_path, "b", n_units=3)
    renamed = paths["etablissements"].with_name("StockEtablissement_utf8_2026-10-01.csv")
    paths["etablissements"].rename(renamed)
    paths["etablissements"] = renamed
    assert ingest(paths).release.vintage == dt.date(2026, 10, 1)


def test_release_parquet_export(first, data_dir):
    directory = release_module.release_dir(first.pk)
    assert (directory / "ess_establishments.parquet").is_file()
    assert (directory / "establishment_counts.parquet").is_file()


def test_work_directories_are_removed_at_the_end_and_leftovers_at_the_next_start(first, tmp_path, data_dir):
    work = release_module.sirene_dir() / "work"
    assert not work.exists() or not any(work.iterdir())  # nothing left by the first run
    leftover = work / "999" / "spill"
    leftover.mkdir(parents=True)
    (leftover / "duckdb_temp_block.tmp").write_bytes(b"x" * 1000)
    ingest(files(tmp_path, "second", n_units=3))
    assert not (work / "999").exists()


def test_sigterm_is_handled_like_ctrl_c_without_a_traceback(first, tmp_path, monkeypatch):
    import os
    import signal

    from django.core.management import CommandError, call_command

    def terminated(self):
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(pipeline_module.Pipeline, "geometry", terminated)
    paths = files(tmp_path, "second", n_units=3)
    with pytest.raises(CommandError, match=r"Interrupted \(SIGTERM\): the release being built was removed"):
        call_command("sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
                     "--etablissements", str(paths["etablissements"]))  # fmt: skip
    assert Release.objects.active() == first
    failed = Release.objects.get(status=ReleaseStatus.FAILED)
    assert not EssEstablishment.objects.filter(release=failed).exists()
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is restored
    assert not any((release_module.sirene_dir() / "work").glob("*"))


def test_ctrl_c_in_the_command_is_one_line_not_a_traceback(first, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline_module.Pipeline, "units", interrupted)
    paths = files(tmp_path, "second", n_units=3)
    with pytest.raises(CommandError, match=r"Interrupted \(Ctrl-C\).*previous release keeps serving"):
        call_command("sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
                     "--etablissements", str(paths["etablissements"]))  # fmt: skip
    assert Release.objects.active() == first


def test_not_enough_space_is_reported_as_disk_full_with_path_and_space_needed(first, tmp_path, monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(release_module.shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(
        release_module.DiskFull,
        match=r"Not enough disk space in .*work/\d+: 1,000 bytes free, about [\d.,]+ MB needed",
    ):
        ingest(files(tmp_path, "second", n_units=3))
    assert Release.objects.active() == first


def test_disk_full_during_a_step_is_reported_as_disk_full_not_as_an_input_error(first, tmp_path, monkeypatch):
    import errno

    from django.core.management import CommandError, call_command

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.workdir / "spill" / "block.tmp"))

    monkeypatch.setattr(pipeline_module.Pipeline, "outputs", full)
    paths = files(tmp_path, "second", n_units=3)
    with pytest.raises(
        CommandError,
        match=r"Disk full: Disk full while ingesting into .*work/\d+ \(.* free; about .* needed\)",
    ):
        call_command("sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
                     "--etablissements", str(paths["etablissements"]))  # fmt: skip
    assert "Disk full" in Release.objects.get(status=ReleaseStatus.FAILED).error


def test_pruning_keeps_the_previously_serving_release_whatever_its_age(first, tmp_path):
    """Reactivate A (the oldest), ingest C: A served just before C, so A is kept and B goes."""
    second = ingest(files(tmp_path, "second", n_units=3)).release
    release_module.switch_to(first)  # an operator puts A back
    third = ingest(files(tmp_path, "third", n_units=4)).release
    assert Release.objects.active() == third
    assert set(Release.objects.values_list("pk", flat=True)) == {first.pk, third.pk}
    assert EssEstablishment.objects.filter(release=first).count() == 2
    assert not Release.objects.filter(pk=second.pk).exists()


@pytest.mark.parametrize("batch", [1, 2, 50_000])
def test_a_release_s_rows_go_in_batches_and_only_its_own(first, tmp_path, batch):
    """Pruning a national release deletes millions of rows: in short batches (writer.DELETE_BATCH_ROWS), so the
    database's write lock is free between them; every row of that release goes, whatever the batch, and no other."""
    second = ingest(files(tmp_path, "second", n_units=3)).release
    kept = (EssEstablishment.objects.filter(release=second).count(),
            EstablishmentCount.objects.filter(release=second).count())  # fmt: skip
    assert EssEstablishment.objects.filter(release=first).count() == 2
    release_module.writer.delete_release_rows(first.pk, batch=batch)
    assert not EssEstablishment.objects.filter(release=first).exists()
    assert not EstablishmentCount.objects.filter(release=first).exists()
    assert (EssEstablishment.objects.filter(release=second).count(),
            EstablishmentCount.objects.filter(release=second).count()) == kept  # fmt: skip
