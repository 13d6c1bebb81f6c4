"""Which training sessions the public sees, and which to suggest beside a territory."""

from django.db.models import Count, Q
from django.utils import timezone

from essor.trainings.models import RegistrationStatus, Session, SessionFormat


def public_sessions():
    """Sessions of published paths, with their confirmed registrations counted in the same query."""
    return (
        Session.objects.select_related("module__path", "operator")
        .filter(module__path__is_published=True)
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
        )
    )


def upcoming_for_region(region_code: str | None, limit: int = 3) -> list[Session]:
    """The next sessions someone working in this région can attend: those held there, and every webinar."""
    reachable = Q(format=SessionFormat.WEBINAR)
    if region_code:
        reachable |= Q(cress_region=region_code)
    sessions = public_sessions().filter(reachable, starts_at__gt=timezone.now(), is_cancelled=False)
    return list(sessions.order_by("starts_at")[:limit])


def territory_section(request, ref) -> dict:
    """The context of the trainings' section of a territory page (essor.core.sections): the next sessions
    reachable from the territory's région."""
    return {"upcoming_sessions": upcoming_for_region(ref.region_code)}
