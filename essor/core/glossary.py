"""The glossary of French terms (from the project's GLOSSARY.md): the French term is kept as it is in both
languages; its English equivalent is shown as such; the explanation is translated."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    french: str
    english: str  # the English equivalent, never translated ("—" when there is none)
    meaning: Promise
    group: Promise


ESS = _("Social and solidarity economy")
CITY = _("City policy and territories")
PROGRAMME = _("Programme and trainings")
REGISTER = _("Business register and statistics")

GROUPS = [ESS, CITY, PROGRAMME, REGISTER]

TERMS = [
    Term(
        "ess",
        "ESS — économie sociale et solidaire",
        "social and solidarity economy",
        _(
            "Associations, cooperatives, mutuals (mutuelles), foundations, and commercial companies that meet the "
            "criteria of the law of 31 July 2014 (loi n° 2014-856). About 10% of salaried jobs in France."
        ),
        ESS,
    ),
    Term(
        "famille",
        "famille de l'ESS",
        "ESS family",
        _("Association, coopérative, mutuelle, fondation, or entreprise commerciale de l'ESS."),
        ESS,
    ),
    Term(
        "esus",
        "ESUS — entreprise solidaire d'utilité sociale",
        "certified social-utility company",
        _("A State certification; many ESUS are commercial ESS companies."),
        ESS,
    ),
    Term(
        "scic",
        "SCIC — société coopérative d'intérêt collectif",
        "multi-stakeholder cooperative",
        _("A cooperative that local authorities may join (up to 50% of its capital)."),
        ESS,
    ),
    Term(
        "cress",
        "CRESS — chambre régionale de l'ESS",
        "regional ESS chamber",
        _("One per région; runs a regional ESS observatory; operator of trainings."),
        ESS,
    ),
    Term(
        "ess-france",
        "ESS France",
        "national ESS chamber",
        _("Runs the national ESS observatory (Observatoire national de l'ESS)."),
        ESS,
    ),
    Term(
        "qpv",
        "QPV — quartier prioritaire de la politique de la ville",
        "priority urban neighbourhood",
        _(
            "The poorest urban areas targeted by city policy. 2015 generation: 1,514 QPV, codes QP followed by "
            "6 characters (e.g. QP031004). 2024 generation (1 January 2024, decree 2023-1314): 1,362 in mainland "
            "France and the overseas départements, codes QN followed by 6 characters (e.g. QN03104M)."
        ),
        CITY,
    ),
    Term(
        "politique-de-la-ville",
        "politique de la ville",
        "city policy",
        _(
            "National and local policy for QPVs, carried by contracts signed by the State and local authorities "
            "(contrats de ville — Engagements Quartiers 2030)."
        ),
        CITY,
    ),
    Term(
        "anct",
        "ANCT — Agence nationale de la cohésion des territoires",
        "national agency for territorial cohesion",
        _(
            "The State agency running city policy (formerly CGET); it publishes the QPV perimeters and funds the "
            "programme."
        ),
        CITY,
    ),
    Term(
        "collectivite",
        "collectivité (territoriale / locale)",
        "local authority",
        _("A commune, an EPCI, a département or a région."),
        CITY,
    ),
    Term(
        "epci",
        "EPCI — établissement public de coopération intercommunale",
        "inter-municipal body",
        _(
            "Métropole (METRO), communauté urbaine (CU), communauté d'agglomération (CA) or communauté de "
            "communes (CC); identified by a 9-digit SIREN number."
        ),
        CITY,
    ),
    Term(
        "metropole",
        "métropole",
        "metropolis",
        _(
            "The 22 largest EPCIs, including the Métropole de Lyon (a special local authority) and the Métropole "
            "du Grand Paris with its EPTs."
        ),
        CITY,
    ),
    Term(
        "ept",
        "EPT — établissement public territorial",
        "territorial public body",
        _("The 11 sub-divisions of the Métropole du Grand Paris."),
        CITY,
    ),
    Term(
        "commune",
        "commune, arrondissement municipal",
        "municipality, municipal district",
        _(
            "Identified by a 5-character INSEE code (2A004 exists: codes are text). Paris, Lyon and Marseille "
            "have arrondissements (75101–75120, 69381–69389, 13201–13216) that SIRENE uses instead of the "
            "commune code."
        ),
        CITY,
    ),
    Term(
        "cog",
        "COG — code officiel géographique",
        "official geographic code",
        _("INSEE's yearly list of communes and higher levels."),
        CITY,
    ),
    Term(
        "delegue-du-prefet",
        "délégué du préfet",
        "prefect's delegate",
        _("A State officer working in QPVs; one of the three audiences of the trainings."),
        CITY,
    ),
    Term(
        "crpv",
        "centre de ressources politique de la ville (CRPV)",
        "city-policy resource centre",
        _(
            "The 19 regional centres that train and inform city-policy professionals; one of the three "
            "audiences."
        ),
        CITY,
    ),
    Term(
        "services",
        "services politique de la ville / développement économique",
        "city-policy / economic development services",
        _("Local-authority departments; the third audience of the trainings."),
        CITY,
    ),
    Term(
        "rtes",
        "RTES — Réseau des collectivités territoriales pour une économie solidaire",
        "network of local authorities for a solidarity economy",
        _("The network that carries the programme essor serves."),
        PROGRAMME,
    ),
    Term(
        "france-urbaine",
        "France urbaine",
        "association of metropolises and large cities",
        _("A partner, with a commission on the ESS and the circular economy."),
        PROGRAMME,
    ),
    Term(
        "formation-croisee",
        "formation croisée",
        "cross-training",
        _(
            "A training that mixes professionals of different institutions (for example the State and a local "
            "authority, or the ESS and city policy)."
        ),
        PROGRAMME,
    ),
    Term(
        "bouquet",
        "bouquet de ressources",
        "resource bundle",
        _("A curated set of guides, videos, tools and sheets."),
        PROGRAMME,
    ),
    Term(
        "parcours",
        "parcours de formation, module",
        "training path, module",
        _("Ordered modules, each with its objectives and duration."),
        PROGRAMME,
    ),
    Term("webinaire", "webinaire, flash-web", "webinar", _("An online session."), PROGRAMME),
    Term(
        "copil",
        "copil — comité de pilotage",
        "steering committee",
        _("Meets to follow an agreement or a programme."),
        PROGRAMME,
    ),
    Term(
        "convention",
        "convention",
        "agreement",
        _("A contract between the network and a funder or partner (for example ANCT 2020–2022)."),
        PROGRAMME,
    ),
    Term(
        "fiche-action",
        "fiche-action",
        "action sheet",
        _("One item of a roadmap: context, objectives, actions, means, partners, referents."),
        PROGRAMME,
    ),
    Term(
        "referent",
        "référent CA / référent équipe",
        "board referent / staff referent",
        _("The elected board member and the staff member in charge of an action sheet."),
        PROGRAMME,
    ),
    Term(
        "municipaless",
        "MunicipalESS",
        "—",
        _("A kit of policy sheets for municipal ESS policies."),
        PROGRAMME,
    ),
    Term(
        "ingenierie",
        "ingénierie",
        "engineering support",
        _("The expertise that local authorities need to design and run a policy."),
        PROGRAMME,
    ),
    Term(
        "inet-ira",
        "INET, IRA",
        "schools of public administration",
        _("INET trains senior local-authority officers, the IRA train State officers."),
        PROGRAMME,
    ),
    Term(
        "grande-equipe",
        "La Grande Équipe",
        "—",
        _("A partner platform through which trainings and resources are spread."),
        PROGRAMME,
    ),
    Term(
        "sirene",
        "SIRENE",
        "the business register",
        _(
            "INSEE's register of legal units (SIREN number, 9 digits) and establishments (SIRET number, "
            "14 digits = SIREN + NIC)."
        ),
        REGISTER,
    ),
    Term(
        "unite-legale",
        "unité légale, établissement",
        "legal unit, establishment",
        _("A company or association, and each of its sites."),
        REGISTER,
    ),
    Term(
        "categorie-juridique",
        "catégorie juridique",
        "legal category",
        _("The 4-digit INSEE code of the legal form (9220 = association déclarée)."),
        REGISTER,
    ),
    Term(
        "naf",
        "NAF / APE",
        "activity code",
        _(
            "The French activity nomenclature, revision 2: section (a letter), division (2 digits), sub-class "
            "(for example 88.99B)."
        ),
        REGISTER,
    ),
    Term(
        "tranche-effectifs",
        "tranche d'effectifs",
        "employee size band",
        _("A code (NN, 00, 01 … 53) with numeric bounds on the number of employees."),
        REGISTER,
    ),
    Term(
        "employeur",
        "établissement employeur",
        "employer establishment",
        _("An establishment with at least one employee (size band neither NN nor 00)."),
        REGISTER,
    ),
]


def terms_by_group() -> list[tuple[Promise, list[Term]]]:
    return [(group, [term for term in TERMS if term.group == group]) for group in GROUPS]
