"""No French left on the English pages (except proper names), no English left on the French ones.

The main public pages are crawled with the demonstration data of one département (`essor demo_data`'s steps on
Haute-Garonne): home, France, région, département, EPCI, commune, QPV 2024 and 2015, directory, benchmark,
methodology, glossary, the hub (resources, experiences, paths, sessions), the study, the surveys' public pages,
the API docs page, the open data and the quality reports.

What a person reads is checked, not the markup: the texts of the page outside scripts and styles, outside
elements marked `lang="fr"` (a French title shown as it is, which screen readers then pronounce in French) and
without the proper names the database holds (territories, establishments, organisations, people, sessions,
resources without an English title).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from essor.territories.tests.fixtures import load_reference

# Frequent French function words and interface words that an English page must translate. Whole words only.
FRENCH = [
    "le", "la", "les", "des", "du", "une", "et", "est", "dans", "pour", "sur", "avec", "aux", "au", "par", "ou",
    "qui", "pas", "ce", "cette", "ces", "son", "ses", "leur", "sont", "être", "été", "à",
    "établissement", "établissements", "Établissement", "Établissements", "Quartier", "quartier", "quartiers",
    "Télécharger", "télécharger", "données", "Données", "Rechercher", "Accueil", "Annuaire", "annuaire",
    "Méthodologie", "Voir", "Fermer", "Suivant", "Précédent", "Chiffres", "chiffres", "Source :", "Carte",
    "millésime", "Millésime", "Formations", "Ressources", "Inscription", "Connexion", "Déconnexion",
    "Coopératives", "Fondations", "salariés", "employeurs", "dont", "Aucun", "aucun",
    # NAF labels: the English pages use the vendored NACE Rev. 2 English labels.
    "sans", "Activités", "activités", "Autres", "autres", "Enseignement", "Hébergement", "hébergement", "santé",
    "humaine", "Fabrication", "Action sociale",
]  # fmt: skip
# English interface words that a French page must translate. Whole words only.
ENGLISH = [
    "the", "of", "and", "with", "for", "from", "this", "these", "is", "are", "by", "not", "Download", "Search",
    "Home", "Directory", "Methodology", "See", "Close", "Next", "Previous", "establishments", "Establishments",
    "Source:", "Map", "release", "Release", "Sign in", "Sign out", "Quality report", "figures", "Figures",
]  # fmt: skip
# Proper names written in the interface's own messages.
PROPER = [
    "Fabrique à initiatives",
    "Métropole du Grand Paris",
    "Métropole de Lyon",
    "loi n° 2014-856",
    "Observatoire national de l'ESS",
]
SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "svg"}


class Reader(HTMLParser):
    """The texts of a page as a person reads them, without what is marked as French (or English) on purpose."""

    def __init__(self, other_language: str):
        super().__init__(convert_charrefs=True)
        self.other = other_language
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    VOID = {"br", "img", "input", "meta", "link", "hr", "area", "base", "col", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        skipped = tag in SKIP_TAGS or (attributes.get("lang") or "").startswith(self.other)
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not any(skipped for _tag, skipped in self.stack):
            self.texts.append(" ".join(data.split()))


def leftovers(html: str, words: list[str], other_language: str, names: list[str]) -> list[str]:
    reader = Reader(other_language)
    reader.feed(html)
    found = []
    for text in reader.texts:
        for name in names:  # longest first: "Communauté de communes des Coteaux" before "Coteaux"
            if name in text:
                text = text.replace(name, " ")
        for word in words:
            if re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text):
                found.append(f"{word!r} in {text[:160]!r}")
                break
    return found


def proper_names() -> list[str]:
    """Names the database holds: places, establishments, organisations, people, content shown as written."""
    from django.contrib.auth import get_user_model

    from essor.accounts.models import Organisation
    from essor.resources.models import Experience, Resource
    from essor.sirene.models import EssEstablishment
    from essor.territories import models as territories
    from essor.trainings.models import Session

    names: set[str] = set()
    for model in (territories.Region, territories.Departement, territories.Epci, territories.Commune,
                  territories.Qpv, Organisation):  # fmt: skip
        names.update(model.objects.values_list("name", flat=True))
    names.update(EssEstablishment.objects.exclude(name="").values_list("name", flat=True))
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        names.update(n for n in (first, last, f"{first} {last}") if n)
    # French content without an English version is shown as written (marked lang="fr" where it is shown).
    names.update(Resource.objects.filter(title_en="").values_list("title_fr", flat=True))
    names.update(Experience.objects.filter(title_en="").values_list("title_fr", flat=True))
    names.update(Session.objects.values_list("place", flat=True))
    names.update(PROPER)
    return sorted((n for n in names if n and len(n) > 2), key=len, reverse=True)


@pytest.fixture
def demo(db, settings, tmp_path):
    """`essor demo_data` on Haute-Garonne (a 20,000-establishment synthetic sample instead of the national one)."""
    settings.DATA_DIR = tmp_path
    load_reference(departements=("31",))
    call_command("sirene", "demo", "--establishments", "20000", verbosity=0)
    for app in ("hub", "diffusion", "surveys", "study", "steering"):
        call_command(app, "demo", verbosity=0)


def public_paths() -> list[str]:
    """The main public pages (without the language prefix), found in the demo data."""
    from essor.resources.models import Experience, Resource
    from essor.sirene.models import EssEstablishment, Release
    from essor.study.models import Edition
    from essor.surveys.answering import invitation_path
    from essor.surveys.models import Invitation
    from essor.territories.models import Qpv
    from essor.trainings.models import Module, Session, TrainingPath

    qpv24 = Qpv.objects.filter(generation=2024, communes__code="31555").order_by("code").first()
    qpv15 = Qpv.objects.filter(generation=2015).order_by("code").first()
    release = Release.objects.active()
    establishment = (
        EssEstablishment.objects.filter(release=release).not_persons().exclude(private=True).first()
    )
    paths = [
        "/", "/territoires/france/FR/", "/territoires/region/76/", "/territoires/departement/31/",
        "/territoires/epci/243100518/", "/territoires/commune/31555/", f"/territoires/qpv/{qpv24.code}/",
        f"/territoires/qpv/{qpv15.code}/", "/territoires/", "/observatoire/territoires/epci/243100518/annuaire/",
        f"/observatoire/territoires/qpv/{qpv24.code}/annuaire/", "/observatoire/metropoles/",
        "/methodologie/", "/glossaire/",
        "/observatoire/releases/", f"/observatoire/releases/{release.pk}/qualite/", "/donnees-ouvertes/",
        "/integrer/", "/ressources/", "/ressources/collections/", "/ressources/experiences/",
        "/ressources/experiences/synthese/", "/formations/", "/formations/sessions/", "/enquetes/besoins/",
        "/etudes/",
    ]  # fmt: skip
    if establishment is not None:
        paths.append(f"/observatoire/etablissements/{establishment.siret}/")
    paths.append(Resource.objects.filter(published=True).order_by("pk").first().get_absolute_url()[3:])
    paths.append(
        f"/ressources/experiences/{Experience.objects.filter(published=True).order_by('pk').first().slug}/"
    )
    paths.append(f"/formations/parcours/{TrainingPath.objects.order_by('pk').first().slug}/")
    paths.append(f"/formations/modules/{Module.objects.order_by('pk').first().slug}/")
    paths.append(f"/formations/sessions/{Session.objects.public().order_by('pk').first().pk}/")
    edition = Edition.objects.filter(published_at__isnull=False).order_by("pk").first()
    if edition is not None:
        paths.append(edition.get_absolute_url()[3:])
    invitation = Invitation.objects.filter(response__isnull=True).order_by("pk").first()
    if invitation is not None:
        paths.append(invitation_path(invitation)[3:])
    return paths


def test_english_pages_have_no_french_and_french_pages_no_english(client, demo):
    names = proper_names()
    found = []
    for path in public_paths():
        for lang, words, other in (("en", FRENCH, "fr"), ("fr", ENGLISH, "en")):
            response = client.get(f"/{lang}{path}")
            assert response.status_code == 200, (lang, path, response.status_code)
            found += [
                f"/{lang}{path}: {item}" for item in leftovers(response.content.decode(), words, other, names)
            ]
    docs = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en")
    assert docs.status_code == 200
    found += [f"/api/v1/docs: {item}" for item in leftovers(docs.content.decode(), FRENCH, "fr", names)]
    assert not found, f"{len(found)} texts in the wrong language:\n" + "\n".join(found)
