"""The demonstration study: an intermediate edition (published) and a final edition (draft, with changes the
differences page shows), three chapters and six numbered figures each, fact sheets of the 22 métropoles, in French
and English — built from the demo's synthetic SIRENE release and the surveys' closed 2025 demonstration wave, and
labelled as demonstration wherever it is shown. Idempotent: an existing demo study is left as it is."""

from django.db import transaction

from essor.resources.models import Experience
from essor.study import freeze as freezing
from essor.study.inputs import serving_release
from essor.study.models import (
    Block,
    BlockKind,
    Chapter,
    Edition,
    EditionKind,
    EditionStatus,
    Reference,
    Study,
)

SLUG = "ess-metropoles-demo"
SURVEY = "politiques-ess-2025-demo"

CHAPTERS = [
    (
        "etat-des-lieux",
        "L'ESS dans les métropoles : état des lieux",
        "The SSE in metropolises: where things stand",
        [
            (
                "intro",
                BlockKind.TEXT,
                "",
                "",
                "Les **22 métropoles** concentrent une part importante des établissements de l'économie sociale et "
                "solidaire. Cette édition de démonstration recalcule leurs chiffres à partir du répertoire SIRENE.",
                "The **22 metropolises** are home to a large share of social and solidarity economy establishments. "
                "This demonstration edition recomputes their figures from the SIRENE register.",
                "",
            ),
            ("part-ess", BlockKind.FIGURE, "", "", "", "", "benchmark_ess_share"),
            ("familles", BlockKind.FIGURE, "", "", "", "", "families"),
            (
                "citation",
                BlockKind.QUOTE,
                "",
                "",
                "L'ESS n'est pas un secteur à part : c'est une manière d'entreprendre présente dans tous les quartiers.",
                "The SSE is not a sector apart: it is a way of doing business found in every neighbourhood.",
                "",
            ),
        ],
    ),
    (
        "quartiers",
        "L'ESS dans et autour des quartiers prioritaires",
        "The SSE in and around priority neighbourhoods",
        [
            (
                "zones-texte",
                BlockKind.TEXT,
                "",
                "",
                "Un établissement est compté **en QPV** s'il est situé dans un quartier prioritaire 2024, **à "
                "proximité** s'il est à moins de 300 mètres de l'un d'eux.",
                "An establishment counts as **in a QPV** when it lies inside a 2024 priority neighbourhood, and as "
                "**nearby** within 300 metres of one.",
                "",
            ),
            ("zones", BlockKind.FIGURE, "", "", "", "", "zones"),
            ("part-qpv", BlockKind.FIGURE, "", "", "", "", "benchmark_qpv_share"),
            (
                "zoom-formation",
                BlockKind.ZOOM,
                "Former les acteurs de la politique de la ville",
                "Training city-policy actors",
                "Des cycles de formation-action réunissent agents des collectivités, centres de ressources et acteurs "
                "de l'ESS autour de projets de quartier.",
                "Action-learning cycles bring together local-authority staff, resource centres and SSE actors around "
                "neighbourhood projects.",
                "",
            ),
        ],
    ),
    (
        "politiques",
        "Les politiques des métropoles en faveur de l'ESS",
        "Metropolitan policies for the SSE",
        [
            ("elus", BlockKind.FIGURE, "", "", "", "", f"survey:{SURVEY}:elected_official"),
            ("gouvernance", BlockKind.FIGURE, "", "", "", "", f"survey:{SURVEY}:governance"),
            (
                "reco-1",
                BlockKind.RECOMMENDATION,
                "Recommandation 1 — Nommer un·e élu·e référent·e",
                "Recommendation 1 — Appoint an elected official in charge",
                "Confier l'ESS à une délégation explicite facilite la coordination des services et des partenaires.",
                "Giving the SSE an explicit delegation makes it easier to coordinate departments and partners.",
                "",
            ),
            (
                "reco-2",
                BlockKind.RECOMMENDATION,
                "Recommandation 2 — Suivre l'ESS dans les QPV",
                "Recommendation 2 — Monitor the SSE in QPVs",
                "Recalculer chaque année la part de l'ESS dans et autour des quartiers prioritaires.",
                "Recompute every year the share of the SSE in and around priority neighbourhoods.",
                "",
            ),
        ],
    ),
]

REFERENCES = [
    "Avise, RTES — Cadres et leviers d'action des métropoles pour renforcer l'ESS, juillet 2019.",
    "Avise, France urbaine, RTES — Territoires urbains, ESS et innovation sociale, novembre 2021.",
]


def _content(edition: Edition, final: bool) -> None:
    experience = Experience.objects.order_by("pk").first()
    for order, (code, title_fr, title_en, blocks) in enumerate(CHAPTERS, start=1):
        chapter = Chapter.objects.create(
            edition=edition, code=code, order=order, title_fr=title_fr, title_en=title_en
        )
        rows = []
        for position, (bcode, kind, btitle_fr, btitle_en, body_fr, body_en, figure) in enumerate(
            blocks, start=1
        ):
            if final and bcode == "intro":
                body_fr += " L'édition finale ajoute les achats responsables."
                body_en += " The final edition adds responsible purchasing."
            rows.append(
                Block(
                    chapter=chapter,
                    code=bcode,
                    order=position * 10,
                    kind=kind,
                    title_fr=btitle_fr,
                    title_en=btitle_en,
                    body_fr=body_fr,
                    body_en=body_en,
                    figure=figure,
                    experience=experience if kind == BlockKind.ZOOM else None,
                    attribution="Élue d'une métropole (démonstration)" if kind == BlockKind.QUOTE else "",
                )  # fmt: skip
            )
        if final and code == "politiques":
            rows.append(
                Block(
                    chapter=chapter,
                    code="spaser",
                    order=25,
                    kind=BlockKind.FIGURE,
                    figure=f"survey:{SURVEY}:spaser",
                )
            )
        Block.objects.bulk_create(rows)
    Reference.objects.bulk_create(
        Reference(edition=edition, order=n, citation=text) for n, text in enumerate(REFERENCES, start=1)
    )


def _edition(
    study, campaigns, *, slug, kind, title_fr, title_en, presented_fr, presented_en, final
) -> Edition:
    edition = Edition.objects.create(
        study=study, slug=slug, kind=kind, is_demo=True,
        title_fr=title_fr, title_en=title_en,
        subtitle_fr="Édition de démonstration, figures recalculées depuis SIRENE",
        subtitle_en="Demonstration edition, figures recomputed from SIRENE",
        presented_at_fr=presented_fr, presented_at_en=presented_en,
    )  # fmt: skip
    edition.campaigns.set(campaigns)
    _content(edition, final)
    return edition


def load_demo() -> list[str]:
    if Study.objects.filter(slug=SLUG).exists():
        return [f"study demo: {SLUG} already loaded"]
    if serving_release() is None:
        return ["study demo: no SIRENE release is serving (run `essor sirene demo`): skipped"]
    from essor.surveys.models import Campaign

    campaigns = list(Campaign.objects.filter(slug=SURVEY))
    if not campaigns:
        return [f"study demo: survey campaign {SURVEY} missing (run `essor surveys demo`): skipped"]
    with transaction.atomic():
        study = Study.objects.create(
            slug=SLUG,
            title_fr="L'ESS dans les métropoles (étude de démonstration)",
            title_en="The SSE in metropolises (demonstration study)",
            partners="Avise · France urbaine · RTES (démonstration)",
            is_demo=True,
        )
        intermediate = _edition(
            study, campaigns, slug="intermediaire", kind=EditionKind.INTERMEDIATE,
            title_fr="Territoires urbains et ESS — édition intermédiaire",
            title_en="Urban regions and the SSE — intermediate edition",
            presented_fr="Présentée au Sommet européen de l'économie sociale (Mannheim)",
            presented_en="Presented at the European Social Economy Summit (Mannheim)", final=False,
        )  # fmt: skip
        freezing.freeze(intermediate)
        Edition.objects.filter(pk=intermediate.pk).update(status=EditionStatus.PUBLISHED)
        Edition.objects.filter(pk=intermediate.pk, published_at__isnull=True).update(
            published_at=intermediate.frozen_at
        )
        final = _edition(
            study, campaigns, slug="finale", kind=EditionKind.FINAL,
            title_fr="Territoires urbains et ESS — édition finale",
            title_en="Urban regions and the SSE — final edition",
            presented_fr="Présentée aux Journées de France urbaine",
            presented_en="Presented at France urbaine's days", final=True,
        )  # fmt: skip
        freezing.freeze(final)
    sheets = len(intermediate.snapshot.get("factsheets", []) if intermediate.snapshot else [])
    intermediate.refresh_from_db()
    figures = len(intermediate.snapshot["figures"])
    return [
        f"study demo: {SLUG}: intermediate edition published ({figures} figures, "
        f"{len(intermediate.snapshot['factsheets']) or sheets} fact sheets), final edition in draft",
        f"  {intermediate.get_absolute_url()}",
    ]
