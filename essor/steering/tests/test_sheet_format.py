"""The action sheet format: the real sheet gives the issue's JSON; variants parse; errors name the line."""

import pytest

from essor.steering.sheet_format import SheetFormatError, parse, parse_file
from essor.steering.tests.sheets import OTHER_BULLETS, REAL_SHEET, real_text


def test_the_real_sheet_gives_axis_2_sheet_3_three_actions_and_partners():
    sheet = parse_file(REAL_SHEET).as_json()
    assert sheet["axis"] == {"number": 2, "title": "PLACE DE L'ESS DANS LES TERRITOIRES FRAGILES"}
    assert sheet["number"] == 3
    assert sheet["title"] == "Quartiers prioritaires de la politique de la ville et territoires urbains"
    assert sheet["board_referent"] == "Emmanuelle Rousset"
    assert sheet["team_referent"] == "Anne-Laure Federici"
    assert sheet["contributors"] == "Mahel Coppey sur le suivi de la convention France urbaine/RTES"
    assert sheet["context"].startswith("Le RTES depuis plusieurs années développe des actions")
    assert sheet["context"].endswith("qui a mis en place une commission ESS et Economie circulaire")
    assert [objective[:30] for objective in sheet["objectives"]] == [
        "Mieux faire connaître les réal",
        "Nourrir les politiques publiqu",
    ]
    assert (
        sheet["objectives"][1] == "Nourrir les politiques publiques aux échelons locaux, national et européen"
    )
    assert [action["title"] for action in sheet["actions"]] == [
        "Formations / sensibilisations à l'ESS",
        "Repérage des besoins et des attentes des collectivités",
        "Actualisation de l'étude Avisa/France urbaine sur les métropoles et grandes agglomérations",
    ]
    first, second, third = sheet["actions"]
    assert first["text"].endswith(
        "les services politique de la ville et développement économique des collectivités locales"
    )
    assert [step["when"] for step in first["steps"]] == ["début 2021", "fin 2021", None]
    assert first["steps"][0]["text"] == (
        "Repérage et analyse d'expériences de formations croisées déjà menées au niveau national et en région"
    )
    assert first["steps"][2]["text"] == "Diffusion via la plateforme La Grande équipe et autres réseaux"
    assert second["steps"] == []
    assert third["text"].startswith("coportée par le RTES, France Urbaine et l'Avisa")
    assert third["steps"] == [
        {
            "text": "Signature officielle de la convention RTES / France urbaine et lancement des chantiers de travail",
            "when": None,
        }
    ]
    assert sheet["means"] == (
        "Convention ANCT 2020/2022 (1er copil en février; 2ème copil à prévoir; point intermédiaire avec ANCT en juin)"
    )
    assert sheet["partners"] == ["ANCT", "ESS France", "Avisa"]


def test_no_text_ends_with_punctuation():
    sheet = parse_file(REAL_SHEET).as_json()
    texts = [
        sheet["title"],
        sheet["board_referent"],
        sheet["team_referent"],
        sheet["contributors"],
        sheet["means"],
    ]
    texts += sheet["objectives"] + sheet["partners"]
    for action in sheet["actions"]:
        texts += [action["title"], action["text"]] + [step["text"] for step in action["steps"]]
    assert all(text and text[-1] not in ".,;:…" for text in texts if text)


def test_sections_keep_their_source_lines():
    parsed = parse_file(REAL_SHEET)
    assert parsed.lines["axis"] == 3
    assert parsed.lines["actions"] == 24
    assert [action.line for action in parsed.actions] == [26, 30, 31]
    assert parsed.actions[0].steps[0].line == 27
    assert parsed.reference_year == 2021


def test_other_bullet_styles_numbered_actions_and_tabs():
    sheet = parse(OTHER_BULLETS).as_json()
    assert sheet["axis"] == {"number": 1, "title": "Coopérer dans les territoires"}
    assert sheet["number"] == 7
    assert sheet["title"] == "Pôles territoriaux de coopération économique"
    assert sheet["board_referent"] == "Jeanne Martin"
    assert sheet["objectives"] == ["Outiller les collectivités", "Capitaliser les expériences"]
    assert [a["title"] for a in sheet["actions"]] == ["Guide des PTCE", "Cartographie des pôles"]
    assert sheet["actions"][0]["text"] == "rédigé avec le Labo de l'ESS"
    assert sheet["actions"][0]["steps"] == [
        {"text": "Premier jet", "when": "premier semestre 2021"},
        {"text": "Publication", "when": "9 et 10 septembre 2021"},
    ]
    assert sheet["actions"][1]["text"] == "mise à jour annuelle"
    assert sheet["actions"][1]["steps"] == [{"text": "Collecte des données en juin", "when": "juin"}]
    assert sheet["partners"] == ["Labo de l'ESS", "Avise"]
    assert sheet["contributors"] == "" and sheet["context"] == "" and sheet["means"] == ""


def test_extra_blank_lines_and_windows_line_ends_change_nothing():
    spaced = "\n\n\n" + real_text().replace("\n", "\n\n").replace("\n", "\r\n") + "\n\n"
    assert parse(spaced).as_json() == parse_file(REAL_SHEET).as_json()


def test_a_missing_optional_section_leaves_it_empty():
    text = "\n".join(line for line in real_text().splitlines() if not line.startswith("Autres contributeurs"))
    sheet = parse(text).as_json()
    assert sheet["contributors"] == ""
    assert len(sheet["actions"]) == 3


def _error(text: str) -> SheetFormatError:
    with pytest.raises(SheetFormatError) as caught:
        parse(text, name="fiche.txt")
    return caught.value


def test_a_missing_actions_section_is_an_error_naming_the_line():
    lines = real_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Actions"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Moyens"))
    error = _error("\n".join(lines[:start] + lines[end:]))
    assert "missing section « Actions : »" in str(error)
    assert str(error).startswith("fiche.txt:")


def test_errors_name_the_line():
    lines = real_text().splitlines()
    assert _error("Fiche-action n°3\nTitre").line == 1
    assert "expected the axis" in _error("Fiche-action n°3\nTitre").message

    unknown = lines[:20] + ["Calendrier :"] + lines[20:]
    error = _error("\n".join(unknown))
    assert (error.line, "unknown section « Calendrier »" in error.message) == (21, True)

    twice = lines + ["", "Partenaires : Avise."]
    error = _error("\n".join(twice))
    assert error.line == len(twice) and "already given on line 36" in error.message

    unclosed = [line.replace("**Formations / sensibilisations à l'ESS**", "**Formations") for line in lines]
    error = _error("\n".join(unclosed))
    assert (error.line, error.message) == (26, "unclosed bold marker « ** »")

    no_number = ["AXE 2 : TITRE", "Fiche action", "Titre"]
    assert _error("\n".join(no_number)).line == 2

    stray = lines[:8] + ["Une phrase perdue avant toute section."] + lines[8:]
    assert _error("\n".join(stray)).line == 9

    step_first = ["AXE 2 : T", "Fiche-action n°1 : T", "Actions :", "Pas une puce"]
    assert _error("\n".join(step_first)).line == 4


def test_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(real_text().encode("latin-1", errors="replace"))
    with pytest.raises(SheetFormatError, match=r"latin1.txt:1: not UTF-8"):
        parse_file(path)
