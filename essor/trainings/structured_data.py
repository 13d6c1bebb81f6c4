"""schema.org `Event` of a session (JSON-LD in the session page), for search engines and event aggregators."""

from essor.core.urls_absolute import absolute_url
from essor.trainings.models import SessionFormat

STATUS = "https://schema.org/EventScheduled"
CANCELLED = "https://schema.org/EventCancelled"


def event_jsonld(session, request=None, places_left: int | None = None) -> dict:
    online = session.format == SessionFormat.WEBINAR
    location = (
        {"@type": "VirtualLocation", "url": absolute_url(session.get_absolute_url(), request)}
        if online
        else {"@type": "Place", "name": session.place, "address": session.place}
    )
    data = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "name": session.module.title,
        "description": session.module.summary,
        "url": absolute_url(session.get_absolute_url(), request),
        "startDate": session.local_start().isoformat(),
        "endDate": session.local_end().isoformat(),
        "eventStatus": CANCELLED if session.is_cancelled else STATUS,
        "eventAttendanceMode": "https://schema.org/"
        + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
        "location": location,
        "organizer": {"@type": "Organization", "name": session.operator.name},
        "isAccessibleForFree": True,
        "inLanguage": "fr",
        "maximumAttendeeCapacity": session.capacity,
    }
    if places_left is not None:
        data["remainingAttendeeCapacity"] = places_left
    if session.is_demo:
        data["keywords"] = "demonstration"
    return data
