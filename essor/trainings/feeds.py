"""Atom feed of upcoming sessions (for partner platforms): public facts only, no personal data."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from essor.trainings.models import Session

FEED_SIZE = 50


class UpcomingSessionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("essor — upcoming training sessions")
    subtitle = _(
        "Webinars and in-person sessions on the social and solidarity economy in priority neighbourhoods."
    )

    def link(self):
        return reverse("trainings:session_list")

    def items(self):
        return (
            Session.objects.published()
            .upcoming()
            .select_related("module", "operator")
            .order_by("starts_at")[:FEED_SIZE]
        )

    def item_title(self, item):
        start = timezone.localtime(item.starts_at, item.tzinfo)
        # The feed's language (its URL prefix) sets the date format: no ISO dates on French pages and feeds.
        when = date_format(start, "SHORT_DATETIME_FORMAT")
        return f"{item.module.title} — {when} ({item.get_format_display()})"

    def item_description(self, item):
        parts = [item.module.summary, str(item.operator), item.place or ""]
        return "\n".join(part for part in parts if part)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.operator.name

    def item_categories(self, item):
        return [str(item.get_format_display()), *item.audience_labels()]
