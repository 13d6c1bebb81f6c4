"""The audit trail: every save and delete of a roadmap, convention or indicator row writes an AuditEntry with the
fields that changed, who did it and through what (admin, import command, demo, web page).

Signals catch every path (admin, commands, shell); `acting_as(user, source)` says who acts. Without it the entry
says "system", so a change is never silent even when nobody declared themselves.
"""

import contextvars
import datetime
import decimal
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

_actor: contextvars.ContextVar = contextvars.ContextVar("steering_actor", default=(None, "system"))
SKIPPED_FIELDS = {"updated_at", "imported_at", "id"}


@contextmanager
def acting_as(user=None, source: str = "web"):
    token = _actor.set((user if user is not None and user.is_authenticated else None, source))
    try:
        yield
    finally:
        _actor.reset(token)


def tracked_models():
    from essor.steering import models

    return [
        models.Axis,
        models.ActionSheet,
        models.Action,
        models.Step,
        models.Participant,
        models.Convention,
        models.ConventionAmount,
        models.Deliverable,
        models.Committee,
        models.Attendance,
        models.Decision,
        models.FollowUp,
        models.ConventionIndicator,
        models.IndicatorSnapshot,
        models.SteeringReader,
    ]


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def values_of(instance) -> dict:
    return {
        field.name: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
    }


def _write(instance, action: str, changes: dict) -> None:
    from essor.steering.models import AuditEntry

    user, source = _actor.get()
    AuditEntry.objects.create(
        user=user,
        actor=user.get_username() if user else source,
        source=source,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
    )


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = values_of(previous) if previous else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = values_of(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "", [], {})}
        _write(instance, "created", changes)
        return
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if changes:
        _write(instance, "changed", changes)


def _after_delete(sender, instance, **kwargs):
    _write(instance, "deleted", {})


def _m2m(sender, instance, action, model, pk_set, reverse=False, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    names = sorted(str(obj) for obj in model._default_manager.filter(pk__in=pk_set or []))
    change = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    if names or action == "post_clear":
        _write(instance, "changed", {field.name: {change: names}})


def connect() -> None:
    for model in tracked_models():
        uid = f"steering-audit-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")
