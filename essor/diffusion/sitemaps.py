"""sitemap.xml: public pages in both languages (hreflang alternates), territories, hub content, open data."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essor.diffusion import opendata
from essor.resources.queries import public_collections, public_experiences, public_resources
from essor.territories.models import Commune, CommuneKind, Departement, Epci, Qpv, Region
from essor.trainings.models import Session, TrainingPath

STATIC_PAGES = (
    "core:home",
    "core:glossary",
    "core:methodology",
    "territories:search",
    "observatory:benchmark",
    "resources:list",
    "resources:collections",
    "resources:experiences",
    "trainings:path_list",
    "trainings:session_list",
    "diffusion:opendata",
    "diffusion:embed",
)


class Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item gives one URL per language: 2 x 20,000 stays under the protocol's 50,000 URLs per file.
    limit = 20_000


class PagesSitemap(Bilingual):
    changefreq = "weekly"

    def items(self):
        return list(STATIC_PAGES)

    def location(self, item):
        return reverse(item)


class TerritoriesSitemap(Bilingual):
    changefreq = "monthly"  # figures change with each monthly release

    def items(self):
        items = [("france", "FR")]
        for kind, rows in (
            ("region", Region.objects.order_by("code")),
            ("departement", Departement.objects.order_by("code")),
            ("epci", Epci.objects.order_by("code")),
            ("commune", Commune.objects.filter(kind=CommuneKind.COMMUNE).order_by("code")),
            ("qpv", Qpv.objects.order_by("code")),
        ):
            items.extend((kind, code) for code in rows.values_list("code", flat=True))
        return items

    def location(self, item):
        kind, code = item
        return reverse("territories:detail", kwargs={"kind": kind, "code": code})


class HubSitemap(Bilingual):
    changefreq = "weekly"

    def items(self):
        sessions = Session.objects.public().upcoming().order_by("starts_at")
        return [
            *public_resources().order_by("pk"),
            *public_experiences().order_by("pk"),
            *public_collections().order_by("pk"),
            *TrainingPath.objects.filter(is_published=True).order_by("pk"),
            *sessions,
        ]

    def location(self, item):
        return item.get_absolute_url()


class OpenDataSitemap(Bilingual):
    changefreq = "monthly"

    def items(self):
        return [release for release, _package in opendata.published_releases()]

    def location(self, item):  # in the language the sitemap is being written in
        return reverse("diffusion:opendata_release", kwargs={"vintage": item.vintage.isoformat()})

    def lastmod(self, item):
        return item.finished_at


SITEMAPS = {
    "pages": PagesSitemap,
    "territories": TerritoriesSitemap,
    "hub": HubSitemap,
    "opendata": OpenDataSitemap,
}
