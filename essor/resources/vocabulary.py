"""Controlled vocabularies of the catalogue: audiences and themes, and how the catalogue's French codes map to them.

Audience slugs for the three trained audiences are the same as `essor.accounts.models.Audience`, so that sessions,
people and resources speak the same language.
"""

from django.db import transaction

from essor.resources.models import Audience, ExperienceFormat, ResourceFormat, ResourceKind, Theme

# slug, French name, English name (order = display order)
AUDIENCES = [
    ("resource_centre", "Centres de ressources politique de la ville", "City-policy resource centres"),
    ("prefect_delegate", "Délégués du préfet", "Prefects' delegates"),
    (
        "local_authority",
        "Services des collectivités (politique de la ville, développement économique)",
        "Local-authority services (city policy, economic development)",
    ),
    ("cress", "Chambres régionales de l'ESS (CRESS)", "Regional ESS chambers (CRESS)"),
    ("ess_actor", "Acteurs de l'ESS", "ESS organisations"),
]

THEMES = [
    ("bases-ess", "Bases de l'ESS", "ESS basics"),
    ("quartiers-politique-ville", "Quartiers et politique de la ville", "Neighbourhoods and city policy"),
    ("developpement-economique", "Développement économique", "Economic development"),
    ("commande-publique", "Commande publique et clauses sociales", "Public procurement and social clauses"),
    ("scic-cooperatives", "SCIC et coopératives", "SCIC and cooperatives"),
    ("emploi-insertion", "Emploi et insertion", "Employment and insertion"),
    ("locaux-immobilier", "Locaux et immobilier", "Premises and real estate"),
    ("financement", "Financement", "Financing"),
    ("municipaless", "Fiches du kit MunicipalESS", "MunicipalESS kit sheets"),
    ("observation-donnees", "Observation et données", "Observation and data"),
    ("formation", "Formation", "Training"),
    ("europe", "Europe", "Europe"),
]

# The catalogue's `publics` codes -> audience slugs.
AUDIENCE_CODES = {
    "centres-ressources": "resource_centre",
    "delegues-prefet": "prefect_delegate",
    "collectivites": "local_authority",
    "cress": "cress",
    "acteurs-ess": "ess_actor",
}

# The catalogue's `type` codes -> resource kinds.
KIND_CODES = {
    "guide": ResourceKind.GUIDE,
    "fiche": ResourceKind.SHEET,
    "rapport": ResourceKind.REPORT,
    "etude": ResourceKind.STUDY,
    "video": ResourceKind.VIDEO,
    "webinaire": ResourceKind.WEBINAR,
    "outil": ResourceKind.TOOL,
    "donnees": ResourceKind.DATASET,
}

# The catalogue does not state a format: it follows from the kind (a guide or study is a document...).
FORMAT_BY_KIND = {
    ResourceKind.VIDEO: ResourceFormat.VIDEO,
    ResourceKind.WEBINAR: ResourceFormat.VIDEO,
    ResourceKind.DATASET: ResourceFormat.DATA,
    ResourceKind.TOOL: ResourceFormat.SOFTWARE,
}

# The catalogue describes each experience's format in free French text; these keyword rules (first match wins)
# put it in one of the synthesis categories. Order matters: "contractualisation ... appel à projets" is a contract.
EXPERIENCE_FORMAT_RULES = [
    (("formation",), ExperienceFormat.TRAINING),
    (("contractualisation", "convention", "politique"), ExperienceFormat.CONTRACT),
    (("appel à",), ExperienceFormat.CALL),
    (("journée", "séminaire", "club"), ExperienceFormat.EXCHANGE),
    (("programme",), ExperienceFormat.PROGRAMME),
    (("étude", "recensement", "cartograph"), ExperienceFormat.STUDY),
]


def experience_format(label: str) -> str:
    text = label.lower()
    for keywords, category in EXPERIENCE_FORMAT_RULES:
        if any(keyword in text for keyword in keywords):
            return category
    return ExperienceFormat.LOCAL_PROJECT if text else ""


@transaction.atomic
def ensure_vocabularies() -> dict:
    """Create or update the audiences and themes; returns {"audiences": n_created, "themes": n_created}."""
    created = {}
    for model, rows, key in ((Audience, AUDIENCES, "audiences"), (Theme, THEMES, "themes")):
        created[key] = 0
        for position, (slug, name_fr, name_en) in enumerate(rows):
            obj, was_created = model.objects.get_or_create(
                slug=slug, defaults={"name_fr": name_fr, "name_en": name_en, "position": position}
            )
            created[key] += was_created
    return created
