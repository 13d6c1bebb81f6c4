"""The proportions the synthetic SIRENE files are drawn with (synth_sql.py turns them into DuckDB SQL).

Rough public orders of magnitude, not statistics: about half of the units are entrepreneurs individuels, ~8 %
associations, ~60 % of the stock of establishments closed, ~1.5 establishments per unit, ~86 % geolocated.
"""

from functools import cache
from pathlib import Path

NAF_CODES = Path(__file__).resolve().parent / "data" / "nomenclatures" / "naf_rev2_sous_classes.csv"

VINTAGE = "2026-11-01"

# Legal categories of the units, by group, with rough weights (share of all units).
LEGAL_CATEGORIES = {
    "ei": {"1000": 0.46},
    "company": {
        "5499": 0.08,
        "5498": 0.035,
        "5710": 0.10,
        "5720": 0.06,
        "5599": 0.006,
        "5485": 0.006,
        "5785": 0.004,
    },
    "civil": {"6540": 0.08, "6599": 0.01, "6589": 0.004, "6533": 0.003, "6597": 0.004},
    "association": {
        "9220": 0.075,
        "9210": 0.002,
        "9221": 0.001,
        "9222": 0.0005,
        "9230": 0.0005,
        "9260": 0.002,
    },
    "cooperative": {
        "5458": 0.0007,
        "5560": 0.0003,
        "6317": 0.0005,
        "6316": 0.0004,
        "5460": 0.0002,
        "6596": 0.0002,
    },
    "mutuelle": {"8210": 0.0002, "8250": 0.0001, "8290": 0.0001, "6411": 0.0001},
    "fondation": {"9300": 0.0004},
    "public": {"7210": 0.0012, "7361": 0.0005, "7331": 0.0003, "7379": 0.0003, "7353": 0.0003},
}
LEGAL_CATEGORIES["cooperative"]["6595"] = 0.0002

# The ESS flag (O / N / empty) by group.
ESS_FLAG = {
    "ei": {"N": 0.88, "": 0.12},
    "company": {"O": 0.004, "N": 0.90, "": 0.096},
    "civil": {"N": 0.9, "": 0.1},
    "association": {"O": 0.85, "N": 0.05, "": 0.10},
    "cooperative": {"O": 0.8, "": 0.2},
    "mutuelle": {"O": 0.85, "": 0.15},
    "fondation": {"O": 0.85, "": 0.15},
    "public": {"N": 0.9, "": 0.1},
}
ACTIVE_UNIT = {"ei": 0.40, "company": 0.55, "civil": 0.6, "association": 0.55, "cooperative": 0.65}
ACTIVE_UNIT.update({"mutuelle": 0.5, "fondation": 0.8, "public": 0.6})

COMMON_NAF = (
    "47.11B 47.71Z 56.10A 56.10C 56.30Z 68.20A 68.20B 68.31Z 70.22Z 62.01Z 62.02A 43.21A 43.22A 43.31Z 43.34Z "
    "43.39Z 41.20A 49.32Z 49.41A 53.20Z 73.11Z 74.10Z 74.90B 85.59A 85.59B 86.21Z 86.90E 86.22C 96.02A 96.02B "
    "96.04Z 93.13Z 90.01Z 90.03A 81.21Z 81.30Z 45.20A 46.90Z 47.91A 47.91B 66.22Z 69.20Z 71.11Z 71.12B 01.11Z "
    "01.21Z 10.71C 47.24Z 47.73Z 55.10Z 64.20Z 82.99Z 88.91A 95.11Z"
).split()
NAF = {
    "association": {"94.99Z": 0.55, "93.12Z": 0.08, "88.99B": 0.05, "85.59B": 0.04, "90.01Z": 0.03, "93.29Z": 0.03,
                    "88.10B": 0.02, "87.90B": 0.01, "94.91Z": 0.02, "94.92Z": 0.005, "94.12Z": 0.01, "94.20Z": 0.01,
                    "84.11Z": 0.003, "91.02Z": 0.01, "85.51Z": 0.02, "55.20Z": 0.005, "56.10A": 0.005,
                    "88.91A": 0.02, "93.11Z": 0.02, "96.09Z": 0.02, "94.11Z": 0.005},
    "cooperative": {"01.61Z": 0.15, "46.21Z": 0.1, "43.21A": 0.08, "62.01Z": 0.08, "10.51A": 0.05, "64.19Z": 0.12,
                    "56.10A": 0.05, "47.11F": 0.05, "71.12B": 0.08, "85.59A": 0.08, "88.10A": 0.05, "49.41A": 0.05,
                    "74.90B": 0.04},
    "mutuelle": {"65.12Z": 0.5, "65.11Z": 0.2, "86.10Z": 0.1, "88.10A": 0.1, "66.22Z": 0.1},
    "fondation": {"94.99Z": 0.3, "88.10A": 0.15, "87.30A": 0.15, "72.19Z": 0.15, "85.42Z": 0.1, "86.10Z": 0.15},
    "public": {"84.11Z": 0.75, "88.99B": 0.1, "85.31Z": 0.1, "84.13Z": 0.05},
    "civil": {"68.20B": 0.75, "68.32A": 0.05, "86.23Z": 0.05, "69.10Z": 0.05, "01.50Z": 0.05, "70.10Z": 0.05},
}  # fmt: skip

BANDS = {
    "small": {"NN": 0.88, "": 0.05, "00": 0.03, "01": 0.03, "02": 0.01},
    "company": {"NN": 0.55, "00": 0.08, "01": 0.15, "02": 0.09, "03": 0.05, "11": 0.04, "12": 0.025, "21": 0.008,
                "22": 0.004, "31": 0.001, "32": 0.001, "41": 0.0005, "42": 0.0002, "51": 0.0001, "52": 0.00005,
                "53": 0.00005},
    "organisation": {"NN": 0.70, "00": 0.04, "01": 0.09, "02": 0.05, "03": 0.04, "11": 0.035, "12": 0.025,
                     "21": 0.008, "22": 0.004, "31": 0.001, "32": 0.001, "41": 0.0005, "42": 0.0002, "53": 0.0001},
}  # fmt: skip
BAND_PROFILE = {"ei": "small", "civil": "small", "company": "company"}

# Establishments per unit: (cumulative probability, low, high) by group.
ESTABLISHMENTS_PER_UNIT = {
    "ei": [(0.80, 1, 1), (0.93, 2, 2), (0.98, 3, 3), (1.0, 4, 6)],
    "company": [(0.70, 1, 1), (0.85, 2, 2), (0.91, 3, 3), (0.98, 4, 8), (1.0, 9, 40)],
    "civil": [(0.97, 1, 1), (1.0, 2, 2)],
    "association": [(0.85, 1, 1), (0.94, 2, 2), (0.97, 3, 3), (0.995, 4, 8), (1.0, 9, 40)],
    "public": [(0.4, 1, 1), (0.6, 2, 2), (0.7, 3, 3), (0.9, 4, 8), (1.0, 9, 40)],
}
for _group in ("cooperative", "mutuelle", "fondation"):
    ESTABLISHMENTS_PER_UNIT[_group] = [(0.6, 1, 1), (0.8, 2, 2), (0.9, 3, 3), (0.98, 4, 8), (1.0, 9, 40)]
MEAN_ESTABLISHMENTS_PER_UNIT = 1.52

WORDS = {
    "asso_head": ["ASSOCIATION", "COMITE", "AMICALE", "CLUB", "UNION", "COLLECTIF", "MAISON", "CERCLE"],
    "asso_mid": ["SPORTIVE", "CULTURELLE", "DES PARENTS D ELEVES", "DES HABITANTS", "SOLIDAIRE", "D ENTRAIDE",
                 "DES JEUNES", "MUSICALE", "DE QUARTIER", "D EDUCATION POPULAIRE", "DES LOCATAIRES",
                 "DE PREVENTION", "DES FAMILLES", "DU SOUTIEN SCOLAIRE", "DES AINES", "THEATRALE"],
    "place": ["DU CENTRE", "DES TILLEULS", "DES ROSES", "DU PARC", "DE LA GARE", "DES COTEAUX", "DU CANAL",
              "SAINT MICHEL", "DES LILAS", "DU MOULIN", "DES PINS", "DU PLATEAU", "DES CEDRES", "DU LAC",
              "DES VIGNES", "DU PONT", "DES ACACIAS", "DU MARCHE"],
    "trade": ["BOULANGERIE", "GARAGE", "CABINET", "ATELIER", "RESTAURANT", "PHARMACIE", "TRANSPORTS", "HOLDING",
              "BATIMENT", "IMMOBILIERE", "CONSEIL", "BOUCHERIE", "COIFFURE", "INFORMATIQUE", "DISTRIBUTION",
              "SERVICES", "PLOMBERIE", "ELECTRICITE", "NETTOYAGE", "BOIS", "EDITIONS", "AUTO ECOLE"],
    "coop_head": ["SCOP", "SCIC", "COOPERATIVE", "CAISSE LOCALE", "CUMA", "UNION COOPERATIVE"],
    "surname": ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
                "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
                "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
                "BENALI", "NGUYEN", "DIALLO", "HADDAD", "TRAORE", "MENDES", "DA SILVA", "MULLER"],
    "first_f": ["MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "AMINA", "FATIMA", "SARAH", "LEA",
                "CAMILLE", "INES", "JULIE", "EMMA", "AICHA", "CHLOE"],
    "first_m": ["JEAN", "PHILIPPE", "MICHEL", "ALAIN", "PATRICK", "NICOLAS", "KARIM", "MOHAMED", "THOMAS",
                "LUCAS", "YANNICK", "DAVID", "PIERRE", "MAMADOU", "HUGO"],
    "street": ["DE LA REPUBLIQUE", "VICTOR HUGO", "JEAN JAURES", "DU GENERAL DE GAULLE", "PASTEUR", "GAMBETTA",
               "DE LA PAIX", "DES ECOLES", "DE L EGLISE", "DE LA LIBERATION", "JULES FERRY", "CARNOT",
               "DU 8 MAI 1945", "DES LILAS", "DE LA GARE", "NATIONALE", "DU MOULIN", "DES PEUPLIERS",
               "LOUIS ARAGON", "PIERRE ET MARIE CURIE", "JEAN MOULIN", "DE LA FONTAINE", "DES CHENES",
               "EMILE ZOLA", "ALBERT CAMUS", "DU STADE", "MARCEL PAGNOL", "DES FLEURS"],
}  # fmt: skip
# Street types as the stock writes them since 2024: full words, not the old abbreviations (AV, BD...).
STREET_TYPES = {
    "RUE": 0.55,
    "AVENUE": 0.15,
    "BOULEVARD": 0.07,
    "CHEMIN": 0.08,
    "PLACE": 0.04,
    "IMPASSE": 0.03,
    "ALLEE": 0.04,
    "ROUTE": 0.04,
}
XY_QUALITY = {"11": 0.7, "12": 0.1, "21": 0.1, "22": 0.05, "33": 0.05}


@cache
def naf_codes() -> list[str]:
    lines = NAF_CODES.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",", 1)[0] for line in lines if line]
