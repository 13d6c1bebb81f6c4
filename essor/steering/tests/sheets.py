"""The real action sheet (vendored) and variants of it written the other ways people write them."""

from pathlib import Path

REAL_SHEET = Path(__file__).resolve().parents[1] / "data" / "fiche-action-3-qpv.txt"


def real_text() -> str:
    return REAL_SHEET.read_text(encoding="utf-8")


def variant(tmp_path, text: str, name: str = "fiche.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


OTHER_BULLETS = """AXE 1 – Coopérer dans les territoires

Fiche action n° 7 : Pôles territoriaux de coopération économique


Référente CA : Jeanne Martin

Référent équipe : Paul Durand

Objectifs :
• Outiller les collectivités ;
• Capitaliser les expériences.


Actions :
1. **Guide des PTCE**, rédigé avec le Labo de l'ESS.
\t* Premier jet – premier semestre 2021
\t* Publication - 9 et 10 septembre 2021.
2) Cartographie des pôles : mise à jour annuelle
   ◦ Collecte des données en juin

Partenaires : Labo de l'ESS, Avise.
"""
