"""One saved object of any model, built from the model's own field definitions (a generic factory).

The admin test visits a change page of every registered model; writing a factory per model would let a new model
slip through untested. Every required field gets a valid value of its type: the first of its choices, a related
object built the same way, the field's default, a short text within max_length. A model whose rules this cannot
guess gets an explicit recipe in `RECIPES`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

_counter = itertools.count(1)


def _text(field, n: int) -> str:
    if isinstance(field, models.EmailField):
        return f"person{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.SlugField):
        return f"slug-{n}"
    text = f"{field.name}-{n}"
    return text[: field.max_length] if field.max_length else text


def value_for(field, n: int):
    if field.choices:
        return field.flatchoices[0][0]
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, (models.ForeignKey, models.OneToOneField)):
        return build(field.related_model)
    if isinstance(field, models.BooleanField):
        return False
    # A period ends after it starts (check constraints such as convention_ends_after_start).
    later = field.name.startswith(("end", "ends", "until", "closes"))
    if isinstance(field, models.DateTimeField):
        return timezone.now() + dt.timedelta(days=30 if later else 0)
    if isinstance(field, models.DateField):
        return dt.date(2026, 12, 1) if later else dt.date(2026, 11, 1)
    if isinstance(field, models.DurationField):
        return dt.timedelta(hours=1)
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.FloatField):
        return 1.0
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b""
    if isinstance(field, models.FileField):
        return f"files/{field.name}-{n}.pdf"
    if isinstance(field, (models.CharField, models.TextField)):
        return "" if field.blank else _text(field, n)
    raise TypeError(f"No generic value for {field.model.__name__}.{field.name} ({type(field).__name__})")


def build(model, **overrides):
    """A saved instance of `model` with every required field filled (overrides win)."""
    n = next(_counter)
    if model is get_user_model():
        return model.objects.create_user(username=f"person{n}@example.org", email=f"person{n}@example.org",
                                         password="a-Long-test-passw0rd", **overrides)  # fmt: skip
    values = {}
    for field in model._meta.concrete_fields:
        if field.auto_created or field.primary_key and isinstance(field, models.AutoField):
            continue
        if (
            field.name in overrides
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        values[field.name] = value_for(field, n)
    values.update(overrides)
    return model.objects.create(**values)
