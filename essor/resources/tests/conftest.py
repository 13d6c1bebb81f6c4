import pytest

from essor.resources.tests.factories import (
    AssessmentFactory,
    AudienceFactory,
    CollectionItemFactory,
    CriterionFactory,
    CriterionOptionFactory,
    ExperienceFactory,
    ResourceFactory,
    ThemeFactory,
)


@pytest.fixture
def catalogue(db):
    """A small catalogue: 3 resources (one unpublished), 2 experiences with an analysis grid, 1 collection."""
    delegates = AudienceFactory(
        slug="prefect_delegate", name_fr="Délégués du préfet", name_en="Prefects' delegates"
    )
    services = AudienceFactory(
        slug="local_authority", name_fr="Services des collectivités", name_en="Local-authority services"
    )
    scic = ThemeFactory(
        slug="scic-cooperatives", name_fr="SCIC et coopératives", name_en="SCIC and cooperatives"
    )
    premises = ThemeFactory(slug="locaux-immobilier", name_fr="Locaux et immobilier", name_en="Premises")
    guide = ResourceFactory(
        slug="guide-scic",
        title_fr="Guide des SCIC",
        title_en="SCIC guide",
        kind="guide",
        audiences=[services],
        themes=[scic],
        languages="fr,en",
    )
    video = ResourceFactory(
        slug="video-locaux",
        title_fr="Vidéo : des locaux en quartier",
        title_en="",
        kind="video",
        audiences=[delegates],
        themes=[premises],
        is_demo=True,
    )
    hidden = ResourceFactory(slug="brouillon", title_fr="Brouillon non publié", published=False)
    dijon = ExperienceFactory(
        slug="dijon",
        title_fr="Formation croisée aux Grésilles",
        title_en="Cross-training in Grésilles",
        audiences=[delegates, services],
        longitude=5.05,
        latitude=47.33,
    )
    national = ExperienceFactory(
        slug="nationale",
        title_fr="Séminaire national ESS et politique de la ville",
        territory_label="France",
        territory_id="france:FR",
        region_code="",
        format="exchange",
        start_year=2015,
        end_year=None,
        period_label="2015-",
        audiences=[services],
    )
    dijon.resources.add(guide)
    score = CriterionFactory(slug="croisement", name_fr="Croisement", name_en="Mix of institutions")
    option = CriterionOptionFactory(
        value="rapport",
        label_fr="Rapport",
        label_en="Evaluation report",
        criterion__slug="evaluation",
        criterion__name_fr="Évaluation",
        criterion__name_en="Evaluation",
    )
    AssessmentFactory(experience=dijon, criterion=score, score=4, is_demo=True)
    AssessmentFactory(experience=national, criterion=score, score=2, is_demo=True)
    AssessmentFactory(experience=dijon, criterion=option.criterion, score=None, option=option)
    item = CollectionItemFactory(resource=video, position=1, collection__slug="premiers-pas")
    CollectionItemFactory(resource=guide, position=2, collection=item.collection)
    return {
        "guide": guide,
        "video": video,
        "hidden": hidden,
        "dijon": dijon,
        "national": national,
        "collection": item.collection,
        "score": score,
        "option": option,
    }
