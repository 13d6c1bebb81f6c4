"""Atom feed of the newest published resources, in the page's language."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from essor.resources.queries import public_resources

FEED_SIZE = 30


class NewResourcesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("essor — new resources")

    def subtitle(self):
        return _("Guides, sheets, videos and tools on the ESS in priority neighbourhoods, newest first.")

    def link(self):
        return reverse("resources:list")

    def items(self):
        return public_resources().prefetch_related("themes").order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]
