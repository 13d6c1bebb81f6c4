"""The invented content of the hub's demonstration (organisations with real public names; invented people,
sessions and comments), kept apart from the code that loads it (demo.py)."""

import uuid

from essor.accounts.models import Audience, OrganisationKind
from essor.trainings.models import SessionFormat

DEMO_NAMESPACE = uuid.UUID("6f1c2b0e-5d0a-4c55-9c1e-2f6a9e0d4a11")

ORGANISATIONS = [
    # name, kind, territory, région code
    ("RTES", OrganisationKind.NETWORK, "france:FR", ""),
    ("ANCT", OrganisationKind.STATE_AGENCY, "france:FR", ""),
    ("CRESS Occitanie", OrganisationKind.CRESS, "region:76", "76"),
    ("CRESS Hauts-de-France", OrganisationKind.CRESS, "region:32", "32"),
    ("CRESS Auvergne-Rhône-Alpes", OrganisationKind.CRESS, "region:84", "84"),
    ("Toulouse Métropole", OrganisationKind.LOCAL_AUTHORITY, "epci:243100518", "76"),
    ("Métropole Européenne de Lille", OrganisationKind.LOCAL_AUTHORITY, "epci:200093201", "32"),
    ("Métropole de Lyon", OrganisationKind.LOCAL_AUTHORITY, "epci:200046977", "84"),
    ("Préfecture de la Haute-Garonne", OrganisationKind.PREFECTURE, "departement:31", "76"),
    ("Préfecture du Nord", OrganisationKind.PREFECTURE, "departement:59", "32"),
    ("Villes & Territoires Occitanie", OrganisationKind.RESOURCE_CENTRE, "region:76", "76"),
    ("IREV Hauts-de-France", OrganisationKind.RESOURCE_CENTRE, "region:32", "32"),
]

# email, password, role, organisation, audience, language, first name — printed by `essor hub demo`.
DEMO_ACCOUNTS = [
    ("admin@example.org", "demo-admin-essor", "programme_admin"),
    ("editrice@example.org", "demo-editor-essor", "editor"),
    ("operateur@example.org", "demo-operator-essor", "operator"),
    ("membre@example.org", "demo-member-essor", "member"),
    ("member.en@example.org", "demo-member-essor", "member"),
]
ACCOUNT_DETAILS = {
    "admin@example.org": ("RTES", Audience.OTHER, "fr", "Alice", "Admin (démo)"),
    "editrice@example.org": ("RTES", Audience.OTHER, "fr", "Élise", "Éditrice (démo)"),
    "operateur@example.org": ("CRESS Occitanie", Audience.OTHER, "fr", "Omar", "Opérateur (démo)"),
    "membre@example.org": (
        "Préfecture de la Haute-Garonne",
        Audience.PREFECT_DELEGATE,
        "fr",
        "Maëlle",
        "Membre (démo)",
    ),
    "member.en@example.org": (
        "Métropole Européenne de Lille",
        Audience.LOCAL_AUTHORITY,
        "en",
        "Morgan",
        "Member (demo)",
    ),
}
FIRST_NAMES = [
    "Camille",
    "Dominique",
    "Claude",
    "Sacha",
    "Noa",
    "Lou",
    "Yanis",
    "Inès",
    "Hugo",
    "Léa",
    "Karim",
    "Sofia",
    "Jules",
    "Nadia",
    "Théo",
    "Awa",
    "Louis",
    "Emma",
    "Mehdi",
    "Chloé",
]
PEOPLE_ORGS = [
    ("Toulouse Métropole", Audience.LOCAL_AUTHORITY),
    ("Métropole Européenne de Lille", Audience.LOCAL_AUTHORITY),
    ("Métropole de Lyon", Audience.LOCAL_AUTHORITY),
    ("Préfecture de la Haute-Garonne", Audience.PREFECT_DELEGATE),
    ("Préfecture du Nord", Audience.PREFECT_DELEGATE),
    ("Villes & Territoires Occitanie", Audience.RESOURCE_CENTRE),
    ("IREV Hauts-de-France", Audience.RESOURCE_CENTRE),
]
THREE_AUDIENCES = [Audience.RESOURCE_CENTRE, Audience.PREFECT_DELEGATE, Audience.LOCAL_AUTHORITY]

PATH = {
    "slug": "ess-quartiers-prioritaires",
    "title_fr": "L'économie sociale et solidaire dans les quartiers prioritaires",
    "title_en": "The social and solidarity economy in priority neighbourhoods",
    "summary_fr": "Un parcours croisé pour les centres de ressources politique de la ville, les délégués du préfet et "
    "les services des collectivités : comprendre l'ESS, la repérer dans les QPV et mobiliser ses leviers.",
    "summary_en": "A cross-training path for city-policy resource centres, prefects' delegates and local-authority "
    "services: understand the ESS, find it in the QPVs and use its levers.",
}
# slug, fr title, en title, minutes, fr objectives, en objectives, resource theme slug
MODULES = [
    (
        "bases-ess",
        "Les bases de l'ESS",
        "ESS basics",
        90,
        "Définir l'ESS et ses familles\nConnaître la loi du 31 juillet 2014",
        "Define the ESS and its families\nKnow the law of 31 July 2014",
        "bases-ess",
    ),
    (
        "ess-en-qpv",
        "Repérer l'ESS dans un QPV",
        "Finding the ESS in a QPV",
        120,
        "Lire les chiffres de l'ESS d'un quartier\nComparer le quartier à son territoire",
        "Read the ESS figures of a neighbourhood\nCompare the neighbourhood with its territory",
        "observation-donnees",
    ),
    (
        "commande-publique",
        "Commande publique et clauses sociales",
        "Public procurement and social clauses",
        120,
        "Utiliser les clauses sociales\nOuvrir les marchés aux structures de l'ESS",
        "Use social clauses\nOpen contracts to ESS organisations",
        "commande-publique",
    ),
    (
        "scic",
        "Coopérer avec une SCIC",
        "Working with a SCIC",
        90,
        "Comprendre la SCIC\nSavoir quand une collectivité peut y entrer",
        "Understand the SCIC\nKnow when a local authority can join one",
        "scic-cooperatives",
    ),
    (
        "emploi-insertion",
        "Emploi et insertion dans les quartiers",
        "Employment and insertion in the neighbourhoods",
        90,
        "Connaître l'insertion par l'activité économique\nMobiliser les acteurs de l'emploi",
        "Know work-integration enterprises\nMobilise employment actors",
        "emploi-insertion",
    ),
    (
        "kit-municipaless",
        "Construire une politique ESS avec le kit MunicipalESS",
        "Building an ESS policy with the MunicipalESS kit",
        120,
        "Choisir les fiches utiles à son territoire\nÉcrire une feuille de route ESS",
        "Choose the sheets that fit one's territory\nWrite an ESS roadmap",
        "municipaless",
    ),
]
# module index, days from today, hour, format, operator, experimentation, capacity
SESSIONS = [
    (0, -60, 10, SessionFormat.WEBINAR, "CRESS Occitanie", True, 30),
    (1, -45, 14, SessionFormat.IN_PERSON, "CRESS Hauts-de-France", True, 20),
    (2, -30, 10, SessionFormat.WEBINAR, "CRESS Auvergne-Rhône-Alpes", True, 40),
    (3, -20, 9, SessionFormat.IN_PERSON, "CRESS Occitanie", True, 15),
    (4, -10, 14, SessionFormat.WEBINAR, "RTES", False, 50),
    (5, 7, 10, SessionFormat.WEBINAR, "CRESS Occitanie", True, 6),
    (0, 21, 14, SessionFormat.IN_PERSON, "CRESS Hauts-de-France", True, 25),
    (1, 40, 10, SessionFormat.WEBINAR, "RTES", False, 100),
]
PLACES = {
    "CRESS Occitanie": "Maison de l'ESS, Toulouse",
    "CRESS Hauts-de-France": "CRESS, Lille",
    "CRESS Auvergne-Rhône-Alpes": "CRESS, Lyon",
    "RTES": "Lille",
}
COMMENTS = [
    ("fr", "Très concret, les exemples de quartiers m'ont aidée."),
    ("fr", "Un peu dense pour 2 heures."),
    ("en", "Useful figures; I would like more time for questions."),
    ("fr", ""),
    ("fr", ""),
]
