"""What a release covers: France is the register's perimeter, not every département of the official geography."""

from types import SimpleNamespace

import pytest

from essor.sirene.coverage import OUTSIDE_REGISTER, covers

MAINLAND_AND_OVERSEAS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
MAINLAND_AND_OVERSEAS += ["971", "972", "973", "974", "975", "976", "977", "978"]


def release(departements):
    return SimpleNamespace(coverage={"departements": departements, "sample_rate": 1.0})


def test_a_national_release_covers_france_although_new_caledonia_and_polynesia_are_not_in_sirene():
    # The demo's release and a real national stock locate establishments in these 101 départements; the
    # geography also lists 984 and 986 to 989: France was shown "not covered by this release".
    everything = MAINLAND_AND_OVERSEAS + sorted(OUTSIDE_REGISTER)
    assert covers(release(MAINLAND_AND_OVERSEAS), everything)


def test_a_missing_departement_of_the_register_still_leaves_france_uncovered():
    assert not covers(
        release([code for code in MAINLAND_AND_OVERSEAS if code != "976"]), MAINLAND_AND_OVERSEAS
    )


@pytest.mark.parametrize("code", sorted(OUTSIDE_REGISTER))
def test_a_territory_only_outside_the_register_is_never_covered(code):
    assert not covers(release(MAINLAND_AND_OVERSEAS), [code])
    assert not covers(SimpleNamespace(coverage=None), [code])


def test_a_territory_with_no_known_departement_counts_as_covered():
    assert covers(release(["31"]), [])
