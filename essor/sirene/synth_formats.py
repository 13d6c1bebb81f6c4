"""INSEE's published SIRENE file layouts: file names, column lists in their official order, delimiters.

Checked against the headers of the stock files published on data.gouv.fr in December 2025 (StockUniteLegale:
35 columns, the last one `activitePrincipaleNAF25UniteLegale` added with NAF 2025; StockEtablissement: 54
columns, ending with `activitePrincipaleNAF25Etablissement`) and of the geolocation file (19 columns).
The synthetic generator writes exactly these; the pipeline only requires the subset listed in DESIGN.md §5.
"""

UNITES_LEGALES = "StockUniteLegale_utf8"
ETABLISSEMENTS = "StockEtablissement_utf8"
GEOLOCALISATION = "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8"

# The stocks are comma-separated; the geolocation file is semicolon-separated, as INSEE publishes them.
DELIMITERS = {UNITES_LEGALES: ",", ETABLISSEMENTS: ",", GEOLOCALISATION: ";"}

UNITE_LEGALE_COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
]

ETABLISSEMENT_COLUMNS = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
]

GEOLOCALISATION_COLUMNS = [
    "siret",
    "x",
    "y",
    "qualite_xy",
    "epsg",
    "plg_qp24",
    "plg_iris",
    "plg_zus",
    "plg_qp15",
    "plg_qva",
    "plg_code_commune",
    "distance_precision",
    "qualite_qp24",
    "qualite_iris",
    "qualite_zus",
    "qualite_qp15",
    "qualite_qva",
    "y_latitude",
    "x_longitude",
]

# Types of the data.gouv.fr Parquet files where they are not text (VARCHAR): what the generator writes and what
# the pipeline must read (essor.sirene.columns checks them). In Parquet, [ND] coordinates are NULL.
PARQUET_TYPES = {
    UNITES_LEGALES: {
        "unitePurgeeUniteLegale": "BOOLEAN", "dateCreationUniteLegale": "DATE", "anneeEffectifsUniteLegale": "BIGINT",
        "dateDernierTraitementUniteLegale": "TIMESTAMP", "nombrePeriodesUniteLegale": "BIGINT",
        "anneeCategorieEntreprise": "BIGINT", "dateDebut": "DATE", "categorieJuridiqueUniteLegale": "BIGINT",
    },
    ETABLISSEMENTS: {
        "dateCreationEtablissement": "DATE", "anneeEffectifsEtablissement": "BIGINT",
        "dateDernierTraitementEtablissement": "TIMESTAMP", "etablissementSiege": "BOOLEAN",
        "nombrePeriodesEtablissement": "BIGINT", "dateDebut": "DATE",
    },
    GEOLOCALISATION: {
        "x": "FLOAT", "y": "FLOAT", "distance_precision": "FLOAT", "y_latitude": "FLOAT", "x_longitude": "FLOAT",
    },
}  # fmt: skip

COLUMNS = {
    UNITES_LEGALES: UNITE_LEGALE_COLUMNS,
    ETABLISSEMENTS: ETABLISSEMENT_COLUMNS,
    GEOLOCALISATION: GEOLOCALISATION_COLUMNS,
}

# Values INSEE writes in plg_qp24 / plg_qp15 when a located establishment is in no QPV:
# CSZ = its commune has no QPV ("commune sans zonage"); HZ = outside the QPVs of its commune ("hors zonage").
OUT_OF_QPV_COMMUNE_WITHOUT_ZONE = "CSZ"
OUT_OF_QPV = "HZ"

# Projected coordinate systems INSEE uses in the geolocation file, by département (mainland: Lambert-93).
EPSG_BY_DEPARTEMENT = {
    "971": 5490,
    "972": 5490,
    "973": 2972,
    "974": 2975,
    "975": 4467,
    "976": 4471,
    "977": 5490,
}
EPSG_BY_DEPARTEMENT["978"] = 5490
MAINLAND_EPSG = 2154


def epsg_for_departement(departement: str) -> int:
    return EPSG_BY_DEPARTEMENT.get(departement, MAINLAND_EPSG)
