"""factory_boy factories for a release and its rows, and the few territories the tests need."""

import datetime

import factory

from essor.sirene.models import EssEstablishment, EstablishmentCount, Release, ReleaseStatus
from essor.territories.models import Commune, Departement, Epci, Qpv, Region

SQUARE = '{"type": "MultiPolygon", "coordinates": [[[[1.40, 43.60], [1.42, 43.60], [1.42, 43.62], [1.40, 43.60]]]]}'


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "76"
    name = "Occitanie"
    search_name = factory.LazyAttribute(lambda o: o.name.lower())


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "31"
    name = "Haute-Garonne"
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("code",)

    code = "243100518"
    name = "Toulouse Métropole"
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    nature = "METRO"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = "31555"
    name = "Toulouse"
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    epci = factory.SubFactory(EpciFactory)


class QpvFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qpv
        django_get_or_create = ("code",)

    code = "QN03104M"
    generation = 2024
    name = "Grand Mirail"
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    geometry = b""
    geojson = SQUARE
    min_lon, min_lat, max_lon, max_lat = 1.40, 43.60, 1.42, 43.62


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    vintage = datetime.date(2026, 11, 1)
    status = ReleaseStatus.READY
    is_active = True
    synthetic = True
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")
    rules_version = "1"


class EstablishmentCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstablishmentCount

    release = factory.SubFactory(ReleaseFactory)
    commune_code = "31555"
    epci_code = "243100518"
    departement_code = "31"
    region_code = "76"
    zone = "hors_qpv"
    naf_division = "88"
    is_ess = False
    family = ""
    employer = False
    establishments = 1


class EssEstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EssEstablishment

    release = factory.SubFactory(ReleaseFactory)
    siret = factory.Sequence(lambda n: f"{77567227200000 + n:014d}")
    siren = factory.LazyAttribute(lambda o: o.siret[:9])
    name = factory.Sequence(lambda n: f"Association n° {n}")
    family = "association"
    legal_category = "9220"
    ess_source = "insee"
    naf = "88.99B"
    naf_division = factory.LazyAttribute(lambda o: o.naf[:2])
    naf_section = "Q"
    band = "NN"
    created_on = datetime.date(2020, 1, 1)
    address = "1 rue de la Paix"
    postcode = "31000"
    commune_code = "31555"
    epci_code = "243100518"
    departement_code = "31"
    region_code = "76"
    zone = "hors_qpv"
    lon = 1.44
    lat = 43.60
