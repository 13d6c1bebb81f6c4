"""The edition's pages, PDF and CSV in both languages, what each role sees, and the PDF's accessible structure."""

import io

import pikepdf
import pytest
from django.core.management import call_command

from essor.study import workflow
from essor.study.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(edition, editor, admin_user):
    return workflow.publish(workflow.send_for_review(edition, editor), admin_user)


def test_a_draft_is_hidden_from_the_public_and_shown_to_editors(client, edition, editor):
    url = edition.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get("/fr/etudes/").content.decode().count(edition.title_fr) == 0
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "Figer les chiffres et envoyer en relecture" in page


def test_published_edition_in_both_languages_with_the_same_figure_numbers(client, published):
    fr = client.get(published.get_absolute_url()).content.decode()
    en = client.get(published.get_absolute_url().replace("/fr/", "/en/")).content.decode()
    for number in (1, 2, 3, 4):
        assert f'id="figure-{number}"' in fr and f'id="figure-{number}"' in en
    assert "Figure 1</span> — Part de l&#x27;ESS dans les établissements actifs" in fr
    assert "Figure 1</span> — Share of the ESS in active establishments" in en
    assert "19,6\xa0%" in fr and "19.6%" in en
    assert "Toulouse Métropole" in fr and "Fiches territoriales" in fr and "Fact sheets" in en
    assert published.snapshot_fingerprint in fr
    assert "Figer les chiffres" not in fr  # no workflow buttons for the public


def test_figure_csv_and_fact_sheet_pages(client, published):
    base = published.get_absolute_url()
    csv = client.get(base + "figures/1.csv")
    assert csv["Content-Type"].startswith("text/csv") and "Toulouse Métropole;10;51;" in csv.content.decode()
    assert client.get(base + "figures/99.csv").status_code == 404
    sheet = client.get(base + "fiches/epci:243100518/").content.decode()
    assert "Fiche : Toulouse Métropole" in sheet and "Dans, autour et hors des QPV" in sheet
    assert client.get(base + "fiches/epci:000000000/").status_code == 404


def test_the_territory_page_links_to_the_fact_sheet(client, published):
    page = client.get("/fr/territoires/epci/243100518/").content.decode()
    assert "Fiche dans « Territoires urbains et ESS »" in page


def test_the_pdf_is_tagged_titled_bookmarked_and_names_its_inputs(client, published):
    for lang, chapter in (("fr", "État des lieux"), ("en", "Where things stand")):
        response = client.get(published.get_absolute_url() + f"{lang}.pdf")
        assert response["Content-Type"] == "application/pdf"
        with pikepdf.open(io.BytesIO(response.content)) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
            with pdf.open_metadata() as meta:
                assert meta["dc:title"] == published.title(lang)
            assert published.snapshot_fingerprint in str(pdf.docinfo.get("/Keywords"))
            with pdf.open_outline() as outline:
                titles = [child.title for item in outline.root for child in [item, *item.children]]
            assert any(chapter in title for title in titles) and len(pdf.pages) >= 5


def test_the_workflow_buttons_respect_roles(client, edition, editor, admin_user):
    url = edition.get_absolute_url() + "workflow/"
    client.force_login(editor)
    client.post(url, {"action": "review"})
    edition.refresh_from_db()
    assert edition.status == "review"
    assert client.post(url, {"action": "publish"}).status_code == 403
    client.force_login(admin_user)
    client.post(url, {"action": "publish"})
    edition.refresh_from_db()
    assert edition.is_published


def test_study_commands_list_and_build_reproducibly(tmp_path, published, capsys):
    call_command("study", "list", "--json")
    listed = capsys.readouterr().out
    assert '"slug": "intermediaire"' in listed and '"status": "published"' in listed
    for lang in ("fr", "en"):
        first, second = tmp_path / f"a-{lang}.html", tmp_path / f"b-{lang}.html"
        call_command(
            "study", "build", "intermediaire", "--lang", lang, "--format", "html", "--out", str(first)
        )
        call_command(
            "study", "build", "etude/intermediaire", "--lang", lang, "--format", "html", "--out", str(second)
        )
        assert first.read_bytes() == second.read_bytes()
    pdf = tmp_path / "edition.pdf"
    call_command("study", "build", "intermediaire", "--lang", "en", "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No edition 'nope'"):
        call_command("study", "build", "nope", "--lang", "fr", "--format", "pdf", "--out", str(pdf))
    Edition.objects.filter(pk=published.pk).update(snapshot={})
    with pytest.raises(CommandError, match="is not frozen"):
        call_command("study", "build", "intermediaire", "--lang", "fr", "--format", "pdf", "--out", str(pdf))
