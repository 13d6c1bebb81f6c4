"""Which training sessions the public sees, and which to suggest beside a territory."""

from essor.trainings.models import Session


def upcoming_for_region(region_code: str | None, limit: int = 3) -> list[Session]:
    """The next sessions someone working in this région can attend: those held there, and every webinar."""
    sessions = Session.objects.public().upcoming().reachable_from(region_code)
    return list(sessions.order_by("starts_at")[:limit])


def territory_section(request, ref) -> dict:
    """The context of the trainings' section of a territory page (essor.core.sections): the next sessions
    reachable from the territory's région."""
    return {"upcoming_sessions": upcoming_for_region(ref.region_code)}
