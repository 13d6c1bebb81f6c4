"""Public API: training paths, modules and sessions (no personal data: counts of places, never names)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from essor.accounts.models import Audience
from essor.core.errors import ApiError
from essor.core.urls_absolute import absolute_url
from essor.trainings.models import Session, TrainingPath

router = Router(tags=["trainings"])


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


@router.get("/trainings/paths/{slug}", response=PathOut, summary="One training path")
def get_path(request, slug: str):
    return _path_out(get_object_or_404(_paths(), slug=slug), request)


@router.get("/trainings/sessions", response=list[SessionOut], summary="Training sessions")
def list_sessions(
    request,
    when: str = "upcoming",
    path: str | None = None,
    region: str | None = None,
    audience: str | None = None,
    limit: int = 100,
):
    """`when`: upcoming (default), past or all. `region`: CRESS région code. `audience`: resource_centre,
    prefect_delegate, local_authority or other. At most 500 results."""
    sessions = Session.objects.public()
    now = timezone.now()
    if when == "upcoming":
        sessions = sessions.filter(ends_at__gt=now).order_by("starts_at")
    elif when == "past":
        sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at")
    elif when == "all":
        sessions = sessions.order_by("starts_at")
    else:
        raise ApiError(400, "invalid_parameters", "`when` must be upcoming, past or all.")
    if audience and audience not in Audience.values:
        raise ApiError(400, "invalid_parameters", f"`audience` must be one of: {', '.join(Audience.values)}.")
    if path:
        sessions = sessions.filter(module__path__slug=path)
    if region:
        sessions = sessions.filter(cress_region=region)
    if audience:
        sessions = sessions.filter(audiences__icontains=f'"{audience}"')
    return [_session_out(s, request) for s in sessions[: max(1, min(limit, 500))]]


@router.get("/trainings/sessions/{session_id}", response=SessionOut, summary="One training session")
def get_session(request, session_id: int):
    return _session_out(get_object_or_404(Session.objects.public(), pk=session_id), request)
