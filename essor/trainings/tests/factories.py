from datetime import timedelta

import factory
from django.utils import timezone

from essor.accounts.models import OrganisationKind
from essor.accounts.tests.factories import OrganisationFactory
from essor.trainings.models import Module, Session, SessionFormat, TrainingPath


class PathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPath

    slug = factory.Sequence(lambda n: f"path-{n}")
    title_fr = factory.Sequence(lambda n: f"Parcours {n}")
    title_en = factory.Sequence(lambda n: f"Path {n}")
    summary_fr = "Résumé du parcours"
    summary_en = "Summary of the path"
    audiences = ["prefect_delegate", "local_authority"]


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    path = factory.SubFactory(PathFactory)
    position = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"module-{n}")
    title_fr = factory.Sequence(lambda n: f"Les bases de l'ESS {n}")
    title_en = factory.Sequence(lambda n: f"ESS basics {n}")
    summary_fr = "Comprendre l'ESS ; ses familles, ses règles."
    summary_en = "Understand the ESS; its families, its rules."
    objectives_fr = "Définir l'ESS\nConnaître ses familles"
    objectives_en = "Define the ESS\nKnow its families"
    evaluation_questions_fr = "Qu'allez-vous mettre en pratique ?"
    evaluation_questions_en = "What will you put into practice?"
    duration_minutes = 90


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    module = factory.SubFactory(ModuleFactory)
    format = SessionFormat.WEBINAR
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    link = "https://visio.example.org/secret-room"
    operator = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CRESS, region_code="76")
    capacity = 10
    audiences = ["prefect_delegate", "local_authority"]
    cress_region = "76"
    experimentation = True


def past_session(**kwargs):
    start = timezone.now() - timedelta(days=3)
    return SessionFactory(starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)
