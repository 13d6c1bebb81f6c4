"""`essor territories population`: INSEE's QPV 2024 population file (layout of « Données sur les quartiers 2024 de
la politique de la ville »), loaded on the real reference of the Haute-Garonne and the Nord.

data/qpv2024_population_insee_layout.csv has that layout and real QPV codes, names and communes from the vendored
QPV 2024 list; its populations are invented for the tests (INSEE's file is not vendored).
"""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from essor.territories.models import Qpv, QpvPopulationLoad
from essor.territories.qpv_population import population_outside_qpvs
from essor.territories.tests import test_update as update_tests
from essor.territories.tests.fixtures import load_reference

FIXTURE = Path(__file__).parent / "data" / "qpv2024_population_insee_layout.csv"
# `essor territories update` served from 127.0.0.1: the fixtures and publisher of test_update.py.
server, subset, publish = update_tests.server, update_tests.subset, update_tests.publish
POPULATIONS = {
    "QN03101M": 1562,
    "QN03104M": 2318,
    "QN03107M": 20871,
    "QN03109M": 6094,
    "QN03110M": 11478,
    "QN05902M": 3365,
    "QN05905M": 4127,
}


@pytest.fixture
def reference(db):
    load_reference(departements=("31", "59"))


def run(*args) -> str:
    out = io.StringIO()
    call_command("territories", "population", *args, stdout=out)
    return out.getvalue()


def populations() -> dict:
    return dict(
        Qpv.objects.filter(generation=2024).exclude(population=None).values_list("code", "population")
    )


def test_the_insee_layout_loads_with_provenance_and_a_second_run_changes_nothing(reference):
    output = run("--from", str(FIXTURE), "--source-url", "https://www.insee.fr/fr/statistiques/8243167")
    assert "7 added, 0 updated, 0 removed, 0 unchanged; 7 rows" in output
    assert populations() == POPULATIONS
    qpv = Qpv.objects.select_related("population_load").get(code="QN03107M")
    load = qpv.population_load
    assert (load.vintage, load.file_name, load.synthetic) == ("RP 2020", FIXTURE.name, False)
    assert load.source == "https://www.insee.fr/fr/statistiques/8243167" and len(load.sha256) == 64
    assert load.loaded_at is not None
    again = run("--from", str(FIXTURE))
    assert "0 added, 0 updated, 0 removed, 7 unchanged" in again and "No change" in again
    assert QpvPopulationLoad.objects.count() == 2 and not QpvPopulationLoad.objects.first().changed
    assert Qpv.objects.get(code="QN03107M").population_load == load  # still the load that set it


def test_the_reference_load_never_blanks_the_populations(reference):
    run("--from", str(FIXTURE))
    load_reference(departements=("31", "59"))
    assert populations() == POPULATIONS


def test_an_xlsx_with_title_lines_above_the_header_loads_the_same(reference, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "QP2024"
    sheet.append(["Population municipale des quartiers prioritaires 2024 en 2020"])
    sheet.append(["Source : Insee, recensement de la population 2020"])
    sheet.append([])
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    sheet.append(lines[0].split(";"))
    for line in lines[1:]:
        cells = line.split(";")
        sheet.append([*cells[:-1], int(cells[-1])])  # numbers are numbers in a workbook
    path = tmp_path / "pop_qp2024.xlsx"
    workbook.save(path)
    assert "7 added" in run("--from", str(path))
    assert populations() == POPULATIONS


def test_codes_outside_the_reference_are_counted_not_an_error(reference, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + "QN06901M;Autre;84;69701;69123;Lyon;x;69;5000\n")
    output = run("--from", str(path))
    assert "1 not QPV 2024 of the reference" in output and "QN06901M" in output


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "QN03102M;Centre Ouest;76;31701;31395;Muret;200068641;31;douze",
            "field popmuniqpv: 'douze' is not a whole",
        ),
        (
            "QN03102M;Centre Ouest;76;31701;31395;Muret;200068641;31;-3",
            "field popmuniqpv: '-3' is not a whole",
        ),
        (
            "QP031004;Ancien;76;31701;31555;Toulouse;243100518;31;5000",
            "field codeqpv: QP031004 is a QPV 2015 code",
        ),
        (
            "QN03107M;Grand Mirail;76;31701;31555;Toulouse;243100518;31;5000",
            "field codeqpv: QN03107M appears twice",
        ),
    ],
)
def test_bad_input_names_the_file_the_line_and_the_field(reference, tmp_path, bad_line, message):
    path = tmp_path / "pop.csv"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + bad_line + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("--from", str(path))
    assert f"{path}:9: {message}" in str(error.value) and "nothing was changed" in str(error.value)
    assert populations() == {}


def test_a_file_without_the_header_is_refused(reference, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("code;population\nQN03107M;20871\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no header with `codeqpv` and `popmuniqpv`"):
        run("--from", str(path))


def test_a_truncated_file_does_not_blank_the_populations_unless_allowed(reference, tmp_path):
    run("--from", str(FIXTURE))
    path = tmp_path / "pop.csv"
    path.write_text("\n".join(FIXTURE.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match="would remove the population of 6 of the 7 QPVs.*--allow-removals"
    ):
        run("--from", str(path))
    assert populations() == POPULATIONS
    assert "6 removed" in run("--from", str(path), "--allow-removals")
    assert populations() == {"QN03101M": 1562}


def test_dry_run_writes_nothing(reference):
    assert "7 added" in run("--from", str(FIXTURE), "--dry-run")
    assert populations() == {} and not QpvPopulationLoad.objects.exists()


def test_the_rest_of_a_commune_is_its_population_minus_its_qpvs(reference):
    run("--from", str(FIXTURE))
    toulouse = Qpv.objects.get(code="QN03107M").communes.get().population
    # Toulouse has more QPVs than the fixture gives populations for: the rest cannot be told.
    assert population_outside_qpvs(["31555"]) is None
    muret = Qpv.objects.get(code="QN03101M").communes.get()
    assert Qpv.objects.filter(communes=muret, generation=2024).count() == 2  # Saint Jean and Centre Ouest
    Qpv.objects.filter(code="QN03102M").update(population=1_200)
    assert population_outside_qpvs([muret.code]) == muret.population - 1562 - 1200
    # Asturies reaches into Auby and Roost-Warendin: only both together have a "rest".
    assert population_outside_qpvs(["59028"]) is None
    assert toulouse > 0


@pytest.mark.parametrize(
    ("lang", "population", "density", "source"),
    [
        (
            "fr",
            "20\xa0871",
            "Densité",
            "Insee, « Données sur les quartiers 2024 de la politique de la ville », RP 2020",
        ),
        (
            "en",
            "20,871",
            "Density",
            "INSEE, “Données sur les quartiers 2024 de la politique de la ville”, RP 2020",
        ),
    ],
)
def test_the_qpv_page_shows_population_density_and_source(
    client, reference, lang, population, density, source
):
    run("--from", str(FIXTURE))
    html = client.get(f"/{lang}/territoires/qpv/QN03107M/").content.decode()
    assert population in html and density in html and source in html
    qpv = Qpv.objects.get(code="QN03107M")
    assert qpv.density == pytest.approx(20871 / (qpv.area_m2 / 1e6))


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Population non chargée pour cette version du référentiel."),
        ("en", "Population not loaded for this release of the reference."),
    ],
)
def test_without_population_the_page_says_so_and_never_shows_zero(client, reference, lang, message):
    html = client.get(f"/{lang}/territoires/qpv/QN03107M/").content.decode()
    assert message in html
    assert "Densité" not in html and "Density" not in html


def test_the_demo_loads_a_synthetic_file_in_the_same_layout_and_says_so(
    client, reference, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    output = run("--demo")
    assert "SYNTHETIC" in output
    written = next((tmp_path / "demo").glob("*SYNTHETIQUE*.csv"))
    header = written.read_text(encoding="utf-8").splitlines()[1]
    assert header.lower().split(";")[0] == "codeqpv" and "popmuniqpv" in header.lower()
    assert Qpv.objects.filter(generation=2024, population=None).count() == 0
    assert Qpv.objects.filter(generation=2024, population__lt=1000).count() == 0
    load = QpvPopulationLoad.objects.get()
    assert load.synthetic
    html = client.get("/en/territoires/qpv/QN03107M/").content.decode()
    assert "Synthetic demonstration population" in html
    shutil.rmtree(tmp_path / "demo")


def test_update_fetches_the_population_file_and_loads_it_with_the_reference(
    db, server, subset, settings, tmp_path
):
    root, base = server
    urls = publish(root, base, subset)
    shutil.copy(FIXTURE, root / "pop_qp2024.csv")
    settings.TERRITORIES_URLS = {**urls, "qpv2024_population": f"{base}/pop_qp2024.csv"}
    out = io.StringIO()
    call_command("territories", "update", "--dest", str(tmp_path / "territories"), stdout=out)
    assert "QPV 2024 population (pop_qp2024.csv, RP 2020): 5 added" in out.getvalue()  # the Occitanie rows
    assert (tmp_path / "territories" / "qpv2024-population" / "pop_qp2024.csv").is_file()
    load = QpvPopulationLoad.objects.get()
    assert load.source == f"{base}/pop_qp2024.csv"
    assert Qpv.objects.get(code="QN03107M").population == 20871


def test_update_refuses_a_population_file_of_another_layout_and_changes_nothing(
    db, server, subset, settings, tmp_path
):
    root, base = server
    urls = publish(root, base, subset)
    (root / "pop.csv").write_text("code;pop\nQN03107M;1\n", encoding="utf-8")
    settings.TERRITORIES_URLS = {**urls, "qpv2024_population": f"{base}/pop.csv"}
    with pytest.raises(CommandError, match="pop.csv.*no header with `codeqpv`"):
        call_command("territories", "update", "--dest", str(tmp_path / "territories"), stdout=io.StringIO())
    assert not Qpv.objects.exists() and not (tmp_path / "territories").exists()


def test_the_demo_never_replaces_insee_populations(reference, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    run("--from", str(FIXTURE))
    assert "the demo keeps them" in run("--demo")
    assert populations() == POPULATIONS and not QpvPopulationLoad.objects.filter(synthetic=True).exists()
