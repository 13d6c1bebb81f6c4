"""Test data for surveys: the shipped questionnaires, campaigns and invitations."""

from datetime import timedelta

from django.utils import timezone

from essor.surveys.models import Campaign, Invitation
from essor.surveys.questionnaires import DATA_DIR, import_xlsform

NEEDS_FILE = DATA_DIR / "besoins-ingenierie.xlsx"
POLICIES_FILE = DATA_DIR / "politiques-ess-metropoles.xlsx"


def questionnaire_version(path=NEEDS_FILE):
    return import_xlsform(path).version


def make_campaign(slug="besoins-2027", version=None, *, open_=True, **fields):
    now = timezone.now()
    defaults = {
        "title_fr": "Besoins d'ingénierie 2027",
        "title_en": "Engineering needs 2027",
        "opens_at": now - timedelta(days=2) if open_ else now - timedelta(days=60),
        "closes_at": now + timedelta(days=30) if open_ else now - timedelta(days=30),
    }
    defaults.update(fields)
    return Campaign.objects.create(slug=slug, version=version or questionnaire_version(), **defaults)


def make_invitation(campaign, territory="epci:243100518", name="Toulouse Métropole", **fields):
    defaults = {"nature": "METRO", "region_code": "76", "region_name": "Occitanie", "population": 800_000}
    defaults.update(fields)
    return Invitation.objects.create(campaign=campaign, territory=territory, authority_name=name, **defaults)
