"""What every email of the site shares: the recipient's language and plain-text rendering."""

from django.conf import settings
from django.template import Context, Engine


def recipient_language(user) -> str:
    """The language the person chose in their profile (accounts), else the site's default."""
    profile = getattr(user, "profile", None)
    return profile.language if profile and profile.language else settings.LANGUAGE_CODE


def render_plain_text(template_name: str, context: dict) -> str:
    """A text template without HTML escaping (an apostrophe stays an apostrophe in a plain-text email)."""
    return Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))
