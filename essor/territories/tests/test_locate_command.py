"""`essor qpv locate LON LAT [--json]` and the process cache of the index, on the loaded reference."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from essor.territories import locate
from essor.territories.models import Qpv
from essor.territories.tests.locate_support import BARRADELS, load_lookup_reference


@pytest.fixture
def reference(db):
    result = load_lookup_reference()
    yield result
    locate.clear_cache()


def run(*args) -> str:
    out = StringIO()
    call_command("qpv", "locate", *args, stdout=out)
    return out.getvalue()


def test_the_text_answer_names_the_qpv_its_commune_and_the_reference(reference):
    text = run(*map(str, BARRADELS))
    assert "Inside QPV 2024: QN03104M Barradels — Blagnac (31069)" in text
    assert f"loaded {timezone.localdate(reference.reference_load.loaded_at).isoformat()}" in text


def test_the_text_answer_outside_gives_the_nearest_qpv_and_the_distance(reference):
    text = run("1.45", "43.70")
    assert "Not inside any QPV 2024." in text
    assert "Nearest QPV: QN" in text and " m away" in text


def test_negative_longitudes_and_the_json_answer(reference):
    answer = json.loads(run("--json", "55.45", "-20.9"))
    assert answer["inside"] is False and answer["qpv"] is None
    assert (
        answer["nearest"]["qpv"]["code"].startswith("QN974") and 0 < answer["nearest"]["distance_m"] < 5_000
    )
    assert answer["nearest"]["qpv"]["communes"] == [{"code": "97411", "name": "Saint-Denis"}]
    assert (
        answer["reference"]["generation"] == 2024
        and answer["reference"]["qpv_count"] == Qpv.objects.filter(generation=2024).count()
    )
    inside = json.loads(run(*map(str, BARRADELS), "--json"))
    assert inside["qpv"]["id"] == "qpv:QN03104M" and inside["nearest"]["distance_m"] == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("abc", "43.6"), "lon 'abc' is not a number"),
        (("1.4", "95"), "lat 95 is outside -90..90"),
        (("1.4",), "lat is missing"),
    ],
)
def test_bad_coordinates_stop_with_a_clear_message(reference, args, words):
    with pytest.raises(CommandError, match=words):
        run(*args)


def test_without_a_loaded_reference_the_command_says_what_to_do(db):
    locate.clear_cache()
    with pytest.raises(CommandError, match="essor territories load"):
        run(*map(str, BARRADELS))


def test_the_index_is_cached_and_rebuilt_when_the_reference_changes(reference):
    first = locate.get_index()
    assert locate.get_index() is first
    Qpv.objects.filter(code="QN03104M").delete()
    second = locate.get_index()
    assert second is not first and "QN03104M" not in {record.code for record in second.records}
    assert second.locate_one(*BARRADELS).qpv is None
