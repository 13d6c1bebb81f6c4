"""The French admin is in French: every registered model's changelist and a change page, visited as a superuser.

What is expected comes from the models themselves, so that the test cannot be satisfied by a page that merely
avoids a word:
- every verbose name (model, plural, and each field the admin shows) and every choice label of those fields is a
  gettext message that the French catalogue translates (a plain string, such as Django's default "search name"
  made from the field's name, is not);
- no text of the page is a raw choice key of any model of the project (`hors_qpv`, `computed`, `METRO`…) where that
  key has a label, nor the English verbose name of a field or model whose French differs;
- the French plural name of the model is the page's heading.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import trans_real

from essor.tests.admin_objects import build

# A release as the pipeline stores it: its admin lays out these keys (zones, sources, roles, steps) as tables.
RELEASE = {
    "inputs": [{"role": "etablissements", "name": "StockEtablissement.zip", "size": 1200, "sha256": "ab" * 32,
                "rows": 10, "format": "zip"}],
    "timings": {"stage": 1.5, "geolocation": 0.5, "total": 2.0},
    "summary": {"active": 10, "ess": 4, "employer": 3, "ess_employer": 1,
                "ess_by_family": {"association": 2, "entreprise_commerciale_ess": 2},
                "by_zone": {"qpv": {"active": 2, "ess": 1}, "proximite": {"active": 1, "ess": 1},
                            "hors_qpv": {"active": 7, "ess": 2}}},
    "report": {"rows_read": {"unites_legales": 5, "etablissements": 12},
               "rejected": {"count": 2, "by_reason": {"bad_siret": 1, "unknown_commune": 1},
                            "sample": [{"siret": "123", "siren": "100000007", "commune": "31555", "reason": "bad_siret"}]},
               "malformed_lines": {"etablissements": {"count": 0, "sample": []}},
               "unknown_codes": {"commune": {"count": 1, "top": [["99999", 1]]}},
               "locations_by_source": {"geolocation": 8, "stock": 1, "none": 1},
               "qpv_attribution": {"2024": {"insee": {"establishments": 6, "in_qpv": 2},
                                            "computed": {"establishments": 3, "in_qpv": 0},
                                            "none": {"establishments": 1, "in_qpv": 0}}},
               "ess": {"establishments": 4, "fallback": 1, "insee_flag": 3},
               "gate": {"passed": True, "reasons": [], "forced": False}},
}  # fmt: skip
RECIPES = {"sirene.Release": RELEASE}
# Pipeline keys that are never words of a French page: shown inside a longer text, they are still raw keys.
REPORT_KEYS = {"computed", "geolocation", "fallback", "insee"}

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


class Texts(HTMLParser):
    """The texts a person reads (not attributes, scripts or styles), each stripped."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = Texts()
    parser.feed(html)
    return parser.texts


def msgid(text) -> str | None:
    """The message behind a gettext_lazy() proxy; None for a plain string (never translated)."""
    if isinstance(text, Promise) and getattr(text, "_args", None):
        return text._args[0] if len(text._args) == 1 else f"{text._args[0]}\x04{text._args[1]}"
    return None


def french_catalogue():
    return trans_real.translation("fr")._catalog


def shown_fields(model_admin, request, obj) -> list[models.Field]:
    """The model fields an admin shows: list columns, filters, the change form and its read-only fields."""
    model = model_admin.model
    names = [*model_admin.get_list_display(request), *model_admin.get_fields(request, obj)]
    for item in model_admin.get_list_filter(request):
        names.append(item[0] if isinstance(item, (tuple, list)) else item)
    fields = []
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            field = model._meta.get_field(name.split("__")[0])
        except Exception:  # a method or property: its label is checked on the page
            continue
        if getattr(field, "primary_key", False) and field.name == "id":
            continue  # "ID" reads the same in both languages
        if field.concrete or field.many_to_many:
            fields.append(field)
    return list(dict.fromkeys(fields))


def raw_keys() -> dict[str, str]:
    """Every choice key of the project's models that has a label of its own: {key: the model field it is of}."""
    keys = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            for key, label in field.flatchoices or []:
                if isinstance(key, str) and len(key) > 1 and not key.isdigit():
                    with translation.override("fr"):
                        if key.lower() != str(label).lower():
                            keys[key] = f"{model._meta.label}.{field.name}"
    return keys


def english_names(model_admin, request, obj) -> dict[str, str]:
    """English verbose names (capitalised, as the admin shows them) whose French differs: {English: French}."""
    names = {}
    model = model_admin.model
    lazies = [model._meta.verbose_name, model._meta.verbose_name_plural, model._meta.app_config.verbose_name]
    lazies += [field.verbose_name for field in shown_fields(model_admin, request, obj)]
    for lazy in lazies:
        with translation.override("en"):
            english = capfirst(str(lazy))
        with translation.override("fr"):
            french = capfirst(str(lazy))
        if english != french:
            names[english] = french
    return names


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "admin@example.org", "admin@example.org", "x-Long-passw0rd"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_admin_pages_are_in_french(superuser_client, superuser, rf, model, model_admin):
    obj = build(model, **RECIPES.get(model._meta.label, {}))
    request = rf.get("/fr/admin/")
    request.user = superuser
    catalogue = french_catalogue()
    untranslated = []
    lazies = {
        "verbose_name": model._meta.verbose_name,
        "verbose_name_plural": model._meta.verbose_name_plural,
        "app": model._meta.app_config.verbose_name,
    }
    for name in model_admin.get_list_display(request):  # computed columns: their description
        fields = {field.name for field in model._meta.get_fields()}
        if isinstance(name, str) and name not in fields and name != "__str__":
            lazies[name] = label_for_field(name, model, model_admin)
    for field in shown_fields(model_admin, request, obj):
        lazies[field.name] = field.verbose_name
        for key, label in field.flatchoices or []:
            lazies[f"{field.name}={key}"] = label
    for where, lazy in lazies.items():
        message = msgid(lazy)
        if message is None or message not in catalogue:
            untranslated.append(f"{where}: {str(lazy)!r}")
    assert not untranslated, f"{model._meta.label}: not translated into French: {untranslated}"

    keys = raw_keys()
    english = english_names(model_admin, request, obj)
    with translation.override("fr"):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [
            reverse(f"{prefix}_changelist"),
            reverse(f"{prefix}_change", args=[obj.pk]),
        ]
        plural = capfirst(str(model._meta.verbose_name_plural))
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        texts = texts_of(response.content.decode())
        raw = sorted({f"{t} ({keys[t]})" for t in texts if t in keys})
        words = {word.strip(".,:;()") for text in texts for word in text.split()}
        raw += sorted(word for word in words if word in REPORT_KEYS or ("_" in word and word in keys))
        assert not raw, f"{url}: raw choice keys shown instead of their labels: {raw}"
        left = sorted({t for t in texts if t in english or t.rstrip(" :") in english})
        assert not left, f"{url}: English names left on the French admin: {left}"
        assert plural in texts, f"{url}: the French name {plural!r} is not on the page"


def test_label_of_a_choice_column_is_the_french_label(db, superuser_client):
    """The Release changelist shows its status by label (« Prête »), never the key (ready)."""
    from essor.sirene.models import Release

    Release.objects.create(vintage="2026-11-01", status="ready", is_active=True)
    texts = texts_of(superuser_client.get("/fr/admin/sirene/release/").content.decode())
    with translation.override("fr"):
        ready = str(dict(Release._meta.get_field("status").flatchoices)["ready"])
        header = capfirst(str(label_for_field("status", Release)))
    assert ready in texts and "ready" not in texts and header in texts
