"""Public API: training paths, modules and sessions (no personal data: counts of places, never names)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from essor.accounts.models import Audience
from essor.core.api_schemas import errors, one_of
from essor.core.urls_absolute import absolute_url
from essor.trainings.models import Session, TrainingPath

router = Router(tags=["trainings"])
MAX_SESSIONS = 500
MAX_ID = 2**63 - 1  # an SQL BIGINT: a larger identifier made the database fail with a 500


class ModuleOut(Schema):
    slug: str
    position: int
    title: str
    summary: str
    objectives: list[str]
    duration_minutes: int
    url: str


class PathOut(Schema):
    slug: str
    title: str
    summary: str
    audiences: list[str]
    url: str
    modules: list[ModuleOut]


class SessionOut(Schema):
    id: int
    uid: str
    module: str
    module_title: str
    path: str
    format: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    operator: str
    capacity: int
    places_left: int
    waiting_list: bool
    audiences: list[str]
    cress_region: str
    experimentation: bool
    cancelled: bool
    demo: bool
    url: str
    ics_url: str


def _absolute(path: str, request) -> str:
    return absolute_url(path, request)


def _module_out(module, request) -> dict:
    return {
        "slug": module.slug,
        "position": module.position,
        "title": module.title,
        "summary": module.summary,
        "objectives": module.objectives,
        "duration_minutes": module.duration_minutes,
        "url": _absolute(module.get_absolute_url(), request),
    }


def _path_out(path, request) -> dict:
    return {
        "slug": path.slug,
        "title": path.title,
        "summary": path.summary,
        "audiences": path.audiences,
        "url": _absolute(path.get_absolute_url(), request),
        "modules": [_module_out(m, request) for m in path.modules.all()],
    }


def _session_out(session, request) -> dict:
    from django.urls import reverse

    return {
        "id": session.pk,
        "uid": str(session.uid),
        "module": session.module.slug,
        "module_title": session.module.title,
        "path": session.module.path.slug,
        "format": session.format,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "timezone": session.timezone,
        "place": session.place,
        "operator": session.operator.name,
        "capacity": session.capacity,
        "places_left": max(session.capacity - session.confirmed, 0),
        "waiting_list": session.waiting_list,
        "audiences": session.audiences,
        "cress_region": session.cress_region,
        "experimentation": session.experimentation,
        "cancelled": session.is_cancelled,
        "demo": session.is_demo,
        "url": _absolute(session.get_absolute_url(), request),
        "ics_url": _absolute(reverse("trainings:session_ics", args=[session.pk]), request),
    }


def _paths():
    return TrainingPath.objects.filter(is_published=True).prefetch_related("modules")


@router.get("/trainings/paths", response=list[PathOut], summary="Training paths and their modules")
def list_paths(request):
    return [_path_out(path, request) for path in _paths()]


@router.get("/trainings/paths/{slug}", response={200: PathOut, **errors(404)}, summary="One training path")
def get_path(request, slug: str):
    return _path_out(get_object_or_404(_paths(), slug=slug), request)


class SessionFilters(Schema):
    when: one_of(("upcoming", "past", "all"), blank=False) = Field(  # type: ignore[valid-type]
        "upcoming", description="upcoming (default), past or all."
    )
    path: str = Field("", max_length=100, description="Slug of a training path.")
    region: str = Field("", max_length=10, description="CRESS région code (INSEE).")
    audience: one_of(Audience.values) = Field("", description="One of the programme's audiences.")  # type: ignore[valid-type]
    limit: int = Field(100, ge=1, le=MAX_SESSIONS, description=f"At most {MAX_SESSIONS} results.")


@router.get(
    "/trainings/sessions", response={200: list[SessionOut], **errors(400)}, summary="Training sessions"
)
def list_sessions(request, filters: Query[SessionFilters]):
    """Public sessions, upcoming first by default; `past` from the most recent."""
    sessions = Session.objects.public()
    now = timezone.now()
    if filters.when == "upcoming":
        sessions = sessions.filter(ends_at__gt=now).order_by("starts_at")
    elif filters.when == "past":
        sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at")
    else:
        sessions = sessions.order_by("starts_at")
    if filters.path:
        sessions = sessions.filter(module__path__slug=filters.path)
    if filters.region:
        sessions = sessions.filter(cress_region=filters.region)
    if filters.audience:
        sessions = sessions.filter(audiences__icontains=f'"{filters.audience}"')
    return [_session_out(s, request) for s in sessions[: filters.limit]]


@router.get(
    "/trainings/sessions/{session_id}",
    response={200: SessionOut, **errors(404)},
    summary="One training session",
)
def get_session(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    return _session_out(get_object_or_404(Session.objects.public(), pk=session_id), request)
