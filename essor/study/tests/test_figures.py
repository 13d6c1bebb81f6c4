"""Figures computed from the frozen release, hand-counted from the observatory's test release, and numbered in
reading order — the same numbers in French and in English."""

import pytest

from essor.study import freeze as freezing
from essor.study import render
from essor.study.figures import FigureError
from essor.study.models import Block, BlockKind

pytestmark = pytest.mark.django_db


def figures_by_kind(edition):
    return {figure["kind"]: figure for figure in edition.snapshot["figures"].values()}


def test_freeze_computes_hand_counted_figures(edition):
    frozen = freezing.freeze(edition)
    figures = figures_by_kind(frozen)
    share = {row["name"]: row for row in figures["benchmark_ess_share"]["rows"]}
    # Toulouse Métropole: ESS a4 + c2 + e3 + f1 = 10 of 51 active establishments; Lyon 2 of 10.
    assert share["Toulouse Métropole"]["ess"] == 10 and share["Toulouse Métropole"]["active"] == 51
    assert share["Toulouse Métropole"]["ess_share"] == pytest.approx(10 / 51, abs=1e-6)
    assert share["Métropole de Lyon"]["ess_share"] == pytest.approx(0.2)
    assert share["Métropole du Grand Paris"]["ess_share"] is None  # nothing located: unknown, not 0 %
    families = {row["family"]["fr"]: row["ess"] for row in figures["families"]["rows"]}
    assert (families["Association"], families["Coopérative"], families["Mutuelle"]) == (7, 3, 2)
    zones = [row["ess"] for row in figures["zones"]["rows"]]
    assert zones == [4, 2, 6]  # in a QPV (a), within 300 m (c), elsewhere (e, f, h)
    qpv = {row["name"]: row["share"] for row in figures["benchmark_qpv_share"]["rows"]}
    assert qpv["Toulouse Métropole"] == pytest.approx(0.4)
    assert frozen.release_vintage == frozen.release.vintage and len(frozen.release_fingerprint) == 64


def test_figures_are_numbered_in_reading_order_in_both_languages(edition):
    freezing.freeze(edition)
    edition.refresh_from_db()
    numbers = {}
    for lang in ("fr", "en"):
        document = render.document(edition, lang, with_charts=False)
        numbers[lang] = [
            (block["figure"]["number"], block["figure_key"])
            for chapter in document["chapters"]
            for block in chapter["blocks"]
            if block["kind"] == "figure"
        ]
    assert numbers["fr"] == numbers["en"] == [(1, "etat/f2"), (2, "etat/f3"), (3, "qpv/f2"), (4, "qpv/f3")]
    fr = render.document(edition, "fr", with_charts=False)["chapters"][0]["blocks"][1]["figure"]
    en = render.document(edition, "en", with_charts=False)["chapters"][0]["blocks"][1]["figure"]
    assert fr["title"] != en["title"] and fr["rows"][1][0] == en["rows"][1][0] == "Toulouse Métropole"
    assert fr["rows"][1][3] == "19,6\xa0%" and en["rows"][1][3] == "19.6%"  # 10/51 rounded, per language
    assert fr["rows"][2][3] == en["rows"][2][3] == "—"  # Grand Paris: nothing located, unknown


def test_two_builds_of_a_frozen_edition_give_the_same_figures_even_after_the_release_changes(
    edition, release
):
    frozen = freezing.freeze(edition)
    first = render.build_html(frozen, "fr")
    again = freezing.freeze(frozen)
    assert again.snapshot_fingerprint == frozen.snapshot_fingerprint
    release.delete()  # pruned: the edition keeps its frozen figures
    frozen.refresh_from_db()
    assert frozen.release is None and frozen.release_vintage is not None
    assert render.build_html(frozen, "fr") == first
    assert "19,6\xa0%" in first and frozen.snapshot_fingerprint in first


def test_unknown_figure_kinds_and_survey_inputs_are_named(edition):
    chapter = edition.chapters.first()
    Block.objects.create(
        chapter=chapter, code="bad", order=99, kind=BlockKind.FIGURE, figure="pie_of_everything"
    )
    with pytest.raises(
        FigureError, match=r"chapter 'etat', block 'bad': unknown figure kind 'pie_of_everything'"
    ):
        freezing.freeze(edition)
    Block.objects.filter(code="bad").update(figure="survey:nope:elected_official")
    with pytest.raises(FigureError, match="campaign 'nope' is not an input of this edition"):
        freezing.freeze(edition)
    edition.refresh_from_db()
    assert edition.snapshot == {}  # nothing half-frozen


def test_figure_csv_is_in_the_readers_spreadsheet_format(edition):
    frozen = freezing.freeze(edition)
    figure = figures_by_kind(frozen)["benchmark_ess_share"]
    fr = render.figure_csv(figure, "fr", "2026-11-01")
    en = render.figure_csv(figure, "en", "2026-11-01")
    assert fr.startswith("\ufeffCollectivité;Établissements de l'ESS;")
    assert "Toulouse Métropole;10;51;0,196078" in fr
    assert "Toulouse Métropole,10,51,0.196078" in en
    assert "Millésime SIRENE du 2026-11-01" in fr.splitlines()[-1]
