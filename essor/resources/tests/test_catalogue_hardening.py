"""Issue 16 §2: a header-only or truncated catalogue cannot withdraw the whole catalogue; BOM accepted; Latin-1 and
10 MB lines are clear errors, never a traceback."""

import io
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from essor.resources.catalogue import DEFAULT_DIR
from essor.resources.models import Experience, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_dir(tmp_path):
    for name in ("ressources.csv", "experiences.csv"):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    call_command("resources", "load-catalogue", "--from", str(tmp_path), stdout=io.StringIO())
    assert Resource.objects.filter(published=True).count() == 70
    return tmp_path


def load(directory, *extra):
    call_command("resources", "load-catalogue", "--from", str(directory), *extra, stdout=io.StringIO())


def fails_with(directory, *fragments):
    with pytest.raises(CommandError) as error:
        load(directory)
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)
    return str(error.value)


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_header_only_csv_withdraws_nothing(loaded_dir):
    path = loaded_dir / "ressources.csv"
    path.write_text(lines_of(path)[0], encoding="utf-8")
    fails_with(loaded_dir, "ressources.csv", "no data rows")
    assert Resource.objects.filter(published=True).count() == 70


def test_a_truncated_csv_is_refused_unless_removals_are_allowed(loaded_dir):
    path = loaded_dir / "ressources.csv"
    path.write_text("".join(lines_of(path)[:11]), encoding="utf-8")  # header + 10 of the 70 rows
    fails_with(loaded_dir, "ressources.csv", "withdraw 60 of the 70 published rows", "--allow-removals")
    assert Resource.objects.filter(published=True).count() == 70
    load(loaded_dir, "--allow-removals")
    assert Resource.objects.filter(published=True).count() == 10
    assert Resource.objects.count() == 70  # withdrawn, never deleted


def test_a_byte_order_mark_is_accepted(loaded_dir):
    for name in ("ressources.csv", "experiences.csv"):
        path = loaded_dir / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    load(loaded_dir)
    assert Resource.objects.filter(published=True).count() == 70
    assert Experience.objects.filter(published=True).count() == 20


def test_latin1_is_a_clear_error(loaded_dir):
    path = loaded_dir / "experiences.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    message = fails_with(loaded_dir, "experiences.csv:", "not UTF-8 text")
    assert re.match(r"experiences\.csv:\d+: ", message), message  # the line of the first bad byte


def test_a_ten_megabyte_line_is_a_clear_error(loaded_dir):
    path = loaded_dir / "ressources.csv"
    lines = lines_of(path)
    lines.insert(3, '"' + "x" * 10_000_000 + '"\n')
    path.write_text("".join(lines), encoding="utf-8")
    fails_with(loaded_dir, "ressources.csv:4:", "field larger than field limit")
    assert Resource.objects.filter(published=True).count() == 70


def test_a_ten_megabyte_line_is_refused_even_when_another_reader_raised_the_csv_limit(loaded_dir):
    """csv.field_size_limit() is process-wide: `qpv locate --csv` raises it for long fields, and the catalogue then
    accepted a 10 MB cell when both ran in one test worker."""
    import csv

    previous = csv.field_size_limit(50_000_000)
    try:
        test_a_ten_megabyte_line_is_a_clear_error(loaded_dir)
    finally:
        csv.field_size_limit(previous)
