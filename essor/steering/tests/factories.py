import datetime
from decimal import Decimal

import factory

from essor.accounts.models import OrganisationKind
from essor.accounts.tests.factories import OrganisationFactory
from essor.steering.models import (
    Committee,
    CommitteeKind,
    Convention,
    ConventionIndicator,
    ReaderRole,
    SteeringReader,
)


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    title_fr = factory.Sequence(lambda n: f"Convention {n}")
    title_en = factory.Sequence(lambda n: f"Agreement {n}")
    reference = factory.Sequence(lambda n: f"REF {n}")
    funder = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.STATE_AGENCY)
    starts_on = datetime.date(2020, 1, 1)
    ends_on = datetime.date(2030, 12, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionIndicator

    convention = factory.SubFactory(ConventionFactory)
    metric = "sessions_held"
    baseline = Decimal(0)
    target = Decimal(10)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    convention = factory.SubFactory(ConventionFactory)
    kind = CommitteeKind.STEERING_COMMITTEE
    title_fr = factory.Sequence(lambda n: f"Comité {n}")
    title_en = factory.Sequence(lambda n: f"Committee {n}")
    date = datetime.date(2021, 2, 16)


def reader(user, role=ReaderRole.BOARD_MEMBER, organisation=None):
    return SteeringReader.objects.create(user=user, role=role, organisation=organisation)
