"""The back office: programme admins edit steering rows (audited as "admin"); editors only read; nobody else."""

import pytest
from django.test import Client
from django.urls import reverse

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.steering import metrics
from essor.steering.admin import IndicatorForm
from essor.steering.models import AuditEntry, Convention
from essor.steering.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def staff_client(role):
    user = make_user(role=role)
    user.is_staff = role in (Role.PROGRAMME_ADMIN, Role.EDITOR)
    user.save()
    client = Client()
    client.force_login(user)
    return client, user


def test_programme_admins_edit_and_the_change_is_audited_with_their_name():
    convention = ConventionFactory(title_fr="Convention ANCT")
    client, admin = staff_client(Role.PROGRAMME_ADMIN)
    url = reverse("admin:steering_convention_change", args=[convention.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert dict(form.fields) and "funder" in form.fields
    assert 'name="indicators-__prefix__-metric"' in page.content.decode()
    assert [key for key, _label in IndicatorForm().fields["metric"].choices] == list(metrics.REGISTRY)
    data = {
        "title_fr": "Convention ANCT 2020–2022", "title_en": "", "reference": "ANCT 2020/2022",
        "funder": convention.funder_id, "starts_on": "2020-01-01", "ends_on": "2022-12-31",
        "final_report_due_on": "", "notes": "",
    }  # fmt: skip
    for prefix in ("amounts", "deliverables", "indicators", "committees"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Convention.objects.get().title_fr == "Convention ANCT 2020–2022"
    entry = AuditEntry.objects.filter(action="changed").latest("at")
    assert (entry.user, entry.source) == (admin, "admin")
    assert entry.changes["title_fr"] == ["Convention ANCT", "Convention ANCT 2020–2022"]


def test_editors_read_but_do_not_edit():
    convention = ConventionFactory()
    client, _editor = staff_client(Role.EDITOR)
    assert client.get(reverse("admin:steering_convention_changelist")).status_code == 200
    assert client.get(reverse("admin:steering_convention_add")).status_code == 403
    change = client.get(reverse("admin:steering_convention_change", args=[convention.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content


def test_the_audit_trail_cannot_be_edited_even_by_admins():
    client, _admin = staff_client(Role.PROGRAMME_ADMIN)
    ConventionFactory()
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:steering_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:steering_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
