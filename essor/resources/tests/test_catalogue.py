"""Loading the real catalogue: counts, idempotency, provenance, and clear errors on bad files."""

import csv
import hashlib
import shutil

import pytest
from django.core.management import CommandError, call_command

from essor.resources.catalogue import DEFAULT_DIR, CatalogueError, load_real_catalogue, parse_period
from essor.resources.models import CatalogueImport, Experience, Origin, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_dir(tmp_path):
    for name in ("ressources.csv", "experiences.csv"):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    return tmp_path


def _rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_loads_the_seventy_resources_and_twenty_experiences_with_provenance():
    report = load_real_catalogue()
    assert report.counts["resources"]["created"] == 70
    assert report.counts["experiences"]["created"] == 20
    assert Resource.objects.filter(origin=Origin.CATALOGUE, is_demo=False, published=True).count() == 70
    assert Experience.objects.filter(origin=Origin.CATALOGUE, is_demo=False).count() == 20
    kit = Resource.objects.get(slug__startswith="kit-municipaless-edition-2020")
    assert kit.author == "RTES" and kit.year == 2020 and kit.kind == "guide"
    assert kit.source_file == "ressources.csv" and kit.source_line == 2
    assert {a.slug for a in kit.audiences.all()} == {"local_authority", "resource_centre", "ess_actor"}
    assert "municipaless" in {t.slug for t in kit.themes.all()}
    assert kit.summary_en.startswith("A 24-sheet toolkit")
    provenance = CatalogueImport.objects.get()
    sha = hashlib.sha256((DEFAULT_DIR / "ressources.csv").read_bytes()).hexdigest()
    assert {"name": "ressources.csv", "sha256": sha}.items() <= provenance.files[0].items()


def test_every_catalogue_territory_is_matched_and_periods_are_parsed():
    report = load_real_catalogue()
    assert report.unmatched_territories == []
    dijon = Experience.objects.get(territory_label="Dijon (quartier des Grésilles)")
    assert (dijon.territory_id, dijon.region_code) == ("qpv:QN02103M", "27")
    assert Experience.objects.filter(territory_id="france:FR").count() == 6
    assert parse_period("2015-2020") == (2015, 2020)
    assert parse_period("2013-") == (2013, None)
    assert parse_period("2015 (6 novembre)") == (2015, 2015)


def test_a_second_run_changes_nothing_and_says_so():
    load_real_catalogue()
    before = list(Resource.objects.values_list("pk", "updated_at"))
    report = load_real_catalogue()
    assert not report.changed
    assert report.counts["resources"] == {"created": 0, "updated": 0, "unchanged": 70, "withdrawn": 0}
    assert "nothing changed" in report.lines()[-1]
    assert list(Resource.objects.values_list("pk", "updated_at")) == before
    assert CatalogueImport.objects.count() == 1


def test_a_changed_row_is_updated_and_a_removed_row_unpublished(catalogue_dir):
    load_real_catalogue(catalogue_dir)

    def change(rows):
        rows[0]["resume_en"] = "New English summary."
        del rows[1]

    _rewrite(catalogue_dir / "ressources.csv", change)
    report = load_real_catalogue(catalogue_dir)
    assert report.counts["resources"]["updated"] == 1
    assert report.counts["resources"]["withdrawn"] == 1
    assert Resource.objects.filter(published=True).count() == 69
    assert Resource.objects.count() == 70  # never deleted
    assert CatalogueImport.objects.count() == 2


@pytest.mark.parametrize(
    ("file", "column", "value", "message"),
    [
        ("ressources.csv", "type", "podcast", "line 4, field 'type': unknown type 'podcast'"),
        ("ressources.csv", "url", "ftp:/nope", "line 4, field 'url': not a valid http(s) URL"),
        ("ressources.csv", "annee", "vingt", "line 4, field 'annee': not a year"),
        ("ressources.csv", "publics", "collectivites;elus", "line 4, field 'publics': unknown code 'elus'"),
        ("experiences.csv", "periode", "depuis longtemps", "line 4, field 'periode'"),
        ("experiences.csv", "description_fr", "", "line 4, field 'description_fr': a French description"),
    ],
)
def test_bad_input_names_file_line_and_field_and_writes_nothing(catalogue_dir, file, column, value, message):
    def change(rows):
        rows[2][column] = value  # third data row; the header is line 1, multi-line fields are counted

    _rewrite(catalogue_dir / file, change)
    with pytest.raises(CatalogueError) as error:
        load_real_catalogue(catalogue_dir)
    assert str(error.value).startswith(file)
    assert message in str(error.value)
    assert Resource.objects.count() == 0 and Experience.objects.count() == 0


def test_missing_column_and_missing_file_are_reported(catalogue_dir):
    with (catalogue_dir / "experiences.csv").open("w", encoding="utf-8") as handle:
        handle.write("titre,territoire\nA,B\n")
    with pytest.raises(CatalogueError, match=r"experiences.csv, line 1, field 'porteur': missing column"):
        load_real_catalogue(catalogue_dir)
    (catalogue_dir / "experiences.csv").unlink()
    with pytest.raises(CatalogueError, match="experiences.csv: file not found"):
        load_real_catalogue(catalogue_dir)


def test_command_reports_counts_and_raises_command_error(catalogue_dir, capsys):
    call_command("resources", "load-catalogue", "--from", str(catalogue_dir), verbosity=0)
    out = capsys.readouterr().out
    assert "resources: 70 created" in out and "experiences: 20 created" in out
    call_command("resources", "load-catalogue", "--from", str(catalogue_dir), verbosity=0)
    assert "nothing changed" in capsys.readouterr().out
    _rewrite(catalogue_dir / "ressources.csv", lambda rows: rows[0].update(titre=""))
    with pytest.raises(CommandError, match=r"^ressources\.csv:2: field titre: "):
        call_command("resources", "load-catalogue", "--from", str(catalogue_dir), verbosity=0)
