import factory

from essor.resources.models import (
    Assessment,
    Audience,
    Collection,
    CollectionItem,
    Criterion,
    CriterionKind,
    CriterionOption,
    Experience,
    ExperienceFormat,
    Resource,
    ResourceKind,
    Theme,
)


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"audience-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Public {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Audience {o.slug}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Thème {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Theme {o.slug}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"ressource-{n}")
    title_fr = factory.Sequence(lambda n: f"Guide de l'économie solidaire n°{n}")
    title_en = factory.Sequence(lambda n: f"Solidarity economy guide no. {n}")
    summary_fr = "Un guide pour les collectivités."
    summary_en = "A guide for local authorities."
    kind = ResourceKind.GUIDE
    author = "RTES"
    year = 2024
    url = "https://example.org/guide"

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if extracted:
            self.audiences.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"experience-{n}")
    title_fr = factory.Sequence(lambda n: f"Formation croisée n°{n}")
    summary_fr = "Une journée d'échanges entre services de l'État et collectivités."
    summary_en = "An exchange day between State services and local authorities."
    territory_label = "Dijon (quartier des Grésilles)"
    territory_id = "qpv:QN02103M"
    region_code = "27"
    period_label = "2019"
    start_year = 2019
    end_year = 2019
    carrier = "CRESS Bourgogne-Franche-Comté"
    format = ExperienceFormat.TRAINING

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if extracted:
            self.audiences.set(extracted)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    slug = factory.Sequence(lambda n: f"critere-{n}")
    name_fr = factory.Sequence(lambda n: f"Critère {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    kind = CriterionKind.SCORE
    scale_max = 4


class CriterionOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionOption

    criterion = factory.SubFactory(CriterionFactory, kind=CriterionKind.QUALITY)
    value = factory.Sequence(lambda n: f"option-{n}")
    label_fr = factory.Sequence(lambda n: f"Option {n}")
    label_en = factory.Sequence(lambda n: f"Choice {n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    experience = factory.SubFactory(ExperienceFactory)
    criterion = factory.SubFactory(CriterionFactory)
    score = 3


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    slug = factory.Sequence(lambda n: f"collection-{n}")
    title_fr = factory.Sequence(lambda n: f"Sélection {n}")
    title_en = factory.Sequence(lambda n: f"Selection {n}")


class CollectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    resource = factory.SubFactory(ResourceFactory)
    position = factory.Sequence(int)
