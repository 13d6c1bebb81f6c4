"""Demonstration content for the hub: an analysis grid with scores, and curated collections of real resources.

The real catalogue carries no analysis of its experiences and no curated selection, so the demo supplies them.
Everything created here is flagged `is_demo` and the pages label it "demonstration"; scores are drawn
deterministically from each experience's slug (a re-run gives the same values and changes nothing).
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from essor.resources.catalogue import load_real_catalogue
from essor.resources.models import (
    Assessment,
    Collection,
    CollectionItem,
    Criterion,
    CriterionKind,
    CriterionOption,
    Experience,
    Origin,
    Resource,
)

DEMO_COMMENT_FR = "Appréciation de démonstration (non issue d'une évaluation réelle)."
DEMO_COMMENT_EN = "Demonstration assessment (not from a real evaluation)."

# slug, French name, English name, French description, English description, kind, options
CRITERIA = [
    (
        "croisement",
        "Croisement des institutions",
        "Mix of institutions",
        "Dans quelle mesure l'expérience réunit des professionnels d'institutions différentes (État, collectivités, "
        "acteurs de l'ESS, centres de ressources).",
        "How far the experience brings together professionals from different institutions (State, local "
        "authorities, ESS organisations, resource centres).",
        CriterionKind.SCORE,
        [],
    ),
    (
        "ancrage-qpv",
        "Ancrage dans les quartiers",
        "Roots in the neighbourhoods",
        "Implication des habitants et des acteurs des quartiers prioritaires.",
        "Involvement of residents and organisations of the priority neighbourhoods.",
        CriterionKind.SCORE,
        [],
    ),
    (
        "transferabilite",
        "Transférabilité",
        "Transferability",
        "Facilité à reproduire l'expérience sur un autre territoire.",
        "How easily the experience could be reproduced elsewhere.",
        CriterionKind.SCORE,
        [],
    ),
    (
        "evaluation",
        "Évaluation disponible",
        "Evaluation available",
        "Existence d'un bilan ou d'une évaluation de l'expérience.",
        "Whether a review or evaluation of the experience exists.",
        CriterionKind.QUALITY,
        [
            ("aucune", "Aucune", "None"),
            ("informelle", "Bilan informel", "Informal review"),
            ("rapport", "Rapport d'évaluation", "Evaluation report"),
        ],
    ),
    (
        "echelle",
        "Échelle",
        "Scale",
        "Échelle territoriale à laquelle l'expérience a été menée.",
        "Territorial scale at which the experience was run.",
        CriterionKind.QUALITY,
        [
            ("quartier", "Quartier ou commune", "Neighbourhood or town"),
            ("intercommunale", "Intercommunale ou départementale", "Inter-municipal or county"),
            ("regionale", "Régionale", "Regional"),
            ("nationale", "Nationale", "National"),
        ],
    ),
]
SCALE_BY_KIND = {
    "qpv": "quartier",
    "commune": "quartier",
    "epci": "intercommunale",
    "departement": "intercommunale",
    "region": "regionale",
    "france": "nationale",
}

# slug, French title, English title, French description, English description, selection
COLLECTIONS = [
    (
        "premiers-pas",
        "Premiers pas : l'ESS dans les quartiers",
        "First steps: the ESS in priority neighbourhoods",
        "Une sélection pour découvrir l'ESS et ses liens avec la politique de la ville.",
        "A selection to discover the ESS and how it meets city policy.",
        {"themes__slug": "bases-ess", "audiences__slug": "prefect_delegate"},
    ),
    (
        "kit-municipaless",
        "Le kit MunicipalESS",
        "The MunicipalESS kit",
        "Les fiches et guides du kit MunicipalESS pour construire une politique municipale de l'ESS.",
        "The sheets and guides of the MunicipalESS kit for building a municipal ESS policy.",
        {"themes__slug": "municipaless"},
    ),
    (
        "locaux",
        "Locaux et immobilier pour l'ESS",
        "Premises and real estate for the ESS",
        "Trouver, financer et partager des locaux pour les structures de l'ESS dans les quartiers.",
        "Finding, financing and sharing premises for ESS organisations in the neighbourhoods.",
        {"themes__slug": "locaux-immobilier"},
    ),
]
COLLECTION_SIZE = 8


@dataclass
class DemoReport:
    counts: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{key}: {value}" for key, value in self.counts.items()]


def _criteria() -> list[Criterion]:
    criteria = []
    for position, (slug, name_fr, name_en, desc_fr, desc_en, kind, options) in enumerate(CRITERIA):
        criterion, _ = Criterion.objects.update_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": desc_fr,
                "description_en": desc_en,
                "kind": kind,
                "scale_max": 4,
                "position": position,
                "is_demo": True,
            },
        )
        for option_position, (value, label_fr, label_en) in enumerate(options):
            CriterionOption.objects.update_or_create(
                criterion=criterion,
                value=value,
                defaults={"label_fr": label_fr, "label_en": label_en, "position": option_position},
            )
        criteria.append(criterion)
    return criteria


def _assess(experience: Experience, criterion: Criterion) -> dict:
    rng = random.Random(f"{experience.slug}/{criterion.slug}")  # deterministic: same values on every run
    values = {
        "score": None,
        "option": None,
        "comment_fr": DEMO_COMMENT_FR,
        "comment_en": DEMO_COMMENT_EN,
        "is_demo": True,
    }
    if criterion.kind == CriterionKind.SCORE:
        values["score"] = rng.randint(1, criterion.scale_max)
    else:
        options = {o.value: o for o in criterion.options.all()}
        kind = experience.territory_id.split(":", 1)[0]
        chosen = SCALE_BY_KIND.get(kind) if criterion.slug == "echelle" else None
        values["option"] = options.get(chosen) or rng.choice(list(options.values()))
    return values


def _collections() -> int:
    created = 0
    for position, (slug, title_fr, title_en, desc_fr, desc_en, selection) in enumerate(COLLECTIONS):
        collection, was_created = Collection.objects.update_or_create(
            slug=slug,
            defaults={
                "title_fr": title_fr,
                "title_en": title_en,
                "description_fr": desc_fr,
                "description_en": desc_en,
                "position": position,
                "origin": Origin.DEMO,
                "is_demo": True,
            },
        )
        created += was_created
        wanted = list(
            Resource.objects.filter(published=True, **selection)
            .order_by("-year", "title_fr")
            .values_list("pk", flat=True)
            .distinct()[:COLLECTION_SIZE]
        )
        current = list(collection.items.order_by("position").values_list("resource_id", flat=True))
        if current != wanted:
            collection.items.all().delete()
            CollectionItem.objects.bulk_create(
                CollectionItem(collection=collection, resource_id=pk, position=i)
                for i, pk in enumerate(wanted)
            )
    return created


@transaction.atomic
def load_demo_content() -> DemoReport:
    """Analysis grid (criteria, options, one assessment per experience and criterion) and three collections."""
    if not Experience.objects.filter(origin=Origin.CATALOGUE).exists():
        load_real_catalogue()
    criteria = _criteria()
    created = updated = unchanged = 0
    existing = {(a.experience_id, a.criterion_id): a for a in Assessment.objects.all()}
    for experience in Experience.objects.filter(published=True):
        for criterion in criteria:
            values = _assess(experience, criterion)
            assessment = existing.get((experience.pk, criterion.pk))
            if assessment is None:
                Assessment.objects.create(experience=experience, criterion=criterion, **values)
                created += 1
            elif assessment.is_demo and any(getattr(assessment, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(assessment, k, v)
                assessment.save()
                updated += 1
            else:
                unchanged += 1
    report = DemoReport(
        {
            "criteria": len(criteria),
            "assessments created": created,
            "assessments updated": updated,
            "assessments unchanged": unchanged,
            "collections created": _collections(),
        }
    )
    return report
