"""Analysis figures and exports (CSV, XLSX with codebook, anonymised open data), from real submitted answers."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.surveys import analysis, exports
from essor.surveys.answering import open_response, save_page, submit
from essor.surveys.tests.factories import make_campaign, make_invitation

pytestmark = pytest.mark.django_db


def answer(invitation, **pages):
    definition = invitation.campaign.version.parsed
    sections = {s.code: s for s in definition.sections}
    response = open_response(invitation, "fr")
    for code, values in pages.items():
        save_page(response, sections[code], values)
    return response


@pytest.fixture
def campaign():
    campaign = make_campaign(open_data=True)
    toulouse = make_invitation(campaign)
    lyon = make_invitation(
        campaign,
        territory="epci:200046977",
        name="Métropole de Lyon",
        nature="MET69",
        region_code="84",
        region_name="Auvergne-Rhône-Alpes",
        population=1_400_000,
    )
    coteaux = make_invitation(
        campaign, territory="epci:243100773", name="CC des Coteaux", nature="CC", population=20_000
    )
    common = {"p_scic": {"scic_member": "non"}, "p_projet": {"project_wanted": "non"}}
    submit(
        answer(
            toulouse,
            p_collectivite={"respondent_service": '=HYPERLINK("x")', "ess_establishments": 10},
            p_politique={
                "has_policy": "oui",
                "policy_areas": ["emploi", "other"],
                "policy_areas_other": "Tourisme",
                "maturity": "4",
            },
            p_municipaless={"support_grid": {"strategie": "expertise", "foncier": "aucun"}},
            p_priorites={"priorities": ["scic", "quartiers"]},
            **common,
        )
    )
    submit(
        answer(
            lyon,
            p_collectivite={"ess_establishments": 30},
            p_politique={"has_policy": "oui", "policy_areas": ["emploi"]},
            p_priorites={"priorities": ["quartiers", "scic"]},
            **common,
        )
    )
    answer(coteaux, p_politique={"has_policy": "non"})  # in progress, not submitted
    return campaign


def test_rates_distributions_and_crosstabs(campaign):
    by_nature = {
        row.label: (row.invited, row.submitted, row.in_progress)
        for row in analysis.response_rates(campaign, "nature")
    }
    assert by_nature == {
        "Métropole": (1, 1, 0),
        "Métropole de Lyon": (1, 1, 0),
        "Communauté de communes": (1, 0, 1),
    }
    records = analysis.submitted_records(campaign)
    definition = campaign.version.parsed
    areas = analysis.distribution(definition.question("policy_areas"), records, "fr", with_text=True)
    counts = {row["key"]: (row["count"], row["share"]) for row in areas.rows}
    assert counts["emploi"] == (2, 1.0) and counts["other"] == (1, 0.5) and areas.others == ["Tourisme"]
    numbers = analysis.distribution(definition.question("ess_establishments"), records, "fr", with_text=True)
    assert numbers.stats["mean"] == 20 and numbers.stats["sum"] == 40
    ranking = analysis.distribution(definition.question("priorities"), records, "fr", with_text=True)
    assert [(row["key"], row["mean_position"]) for row in ranking.rows[:2]] == [
        ("scic", 1.5),
        ("quartiers", 1.5),
    ]
    tab = analysis.crosstab(definition.question("has_policy"), records, "population", "fr")
    assert [(row["label"], row["counts"]) for row in tab.rows] == [("500 000 et plus", [2, 0])] or tab.rows[
        0
    ]["counts"] == [2, 0]
    only_occitanie = analysis.response_rates(campaign, "region", region="76")
    assert [row.label for row in only_occitanie] == ["Occitanie"]


def test_csv_export_one_column_per_question_with_prefill_columns_and_safe_cells(campaign):
    table = exports.response_table(campaign)
    text = exports.to_csv(table)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["territory", "authority", "nature"]
    assert {
        "policy_areas",
        "policy_areas_other",
        "support_grid__strategie",
        "support_grid__foncier",
        "ess_establishments__prefilled",
        "ess_establishments__source",
        "ess_establishments__vintage",
    } <= set(header)
    toulouse = next(r for r in rows if r[1] == "Toulouse Métropole")
    line = dict(zip(header, toulouse, strict=True))
    assert line["policy_areas"] == "emploi other" and line["policy_areas_other"] == "Tourisme"
    assert line["support_grid__strategie"] == "expertise" and line["priorities"] == "scic quartiers"
    assert line["respondent_service"].startswith("'=")  # a formula is neutralised
    assert len(rows) == 4  # every invited authority, whatever its status


def test_xlsx_has_responses_codebook_and_about(campaign):
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(campaign, exports.response_table(campaign))))
    assert workbook.sheetnames == ["responses", "codebook", "about"]
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert codebook[0][:5] == ("code", "page", "label_fr", "label_en", "type")
    scic = next(r for r in codebook if r[0] == "scic_member")
    assert scic[2].startswith("Votre collectivité est-elle sociétaire") and scic[3].startswith(
        "Is your authority"
    )
    assert scic[4] == "yes_no" and "oui = Oui / Yes" in scic[5]
    header = next(workbook["responses"].iter_rows(values_only=True))
    values = next(r for r in workbook["responses"].iter_rows(values_only=True) if r[1] == "Métropole de Lyon")
    assert dict(zip(header, values, strict=False))["ess_establishments"] == 30  # a typed number, not text


def test_open_data_export_is_anonymised(campaign):
    table = exports.response_table(campaign, anonymised=True)
    text = exports.to_csv(table)
    assert (
        "Toulouse" not in text
        and "243100518" not in text
        and "Tourisme" not in text
        and "HYPERLINK" not in text
    )
    assert table.columns[:4] == ["nature", "region_code", "region", "population_band"]
    assert len(table.rows) == 2  # submitted responses only


def test_export_views_and_command(client, campaign, tmp_path):
    client.force_login(make_user(role=Role.EDITOR))
    response = client.get(f"/fr/enquetes/campagnes/{campaign.slug}/export/csv/")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert client.get(f"/fr/enquetes/campagnes/{campaign.slug}/export/opendata/").status_code == 200
    out = tmp_path / "answers.xlsx"
    call_command("surveys", "export-responses", campaign.slug, "--out", str(out))
    assert load_workbook(out).sheetnames == ["responses", "codebook", "about"]
    call_command("surveys", "export-responses", campaign.slug, "--out", str(tmp_path / "answers.csv"))
    assert (
        (tmp_path / "answers-codebook.csv").read_text(encoding="utf-8").startswith("\ufeffcode;page;label_fr")
    )


def test_analysis_page_shows_charts_and_tables_in_both_languages(client, campaign):
    client.force_login(make_user(role=Role.PROGRAMME_ADMIN))
    french = client.get(
        f"/fr/enquetes/campagnes/{campaign.slug}/analyse/?q=has_policy&by=nature"
    ).content.decode()
    assert "<svg" in french and "Taux de réponse" in french and "100,0\u00a0%" in french
    english = client.get(
        f"/en/enquetes/campagnes/{campaign.slug}/analyse/?q=has_policy&by=nature"
    ).content.decode()
    assert (
        "Response rate" in english
        and "100.0%" in english
        and "Is your authority a member of one or more SCIC?" in english
    )
