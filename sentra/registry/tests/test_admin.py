"""The Django admin: every model's pages load, lists are scoped, and edits are logged."""

import pytest
from django.contrib import admin
from django.urls import reverse

from sentra.audit.models import NikReveal, ObjectChange
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db

REGISTERED = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)
# The task queue's records, login attempts (django-axes) and second-factor devices are the system's, not an office's.
SUPERUSER_ONLY = {
    ("django_tasks_database", "dbtaskresult"),
    *(("axes", model) for model in ("accessattempt", "accessfailurelog", "accesslog")),
    ("otp_totp", "totpdevice"),
}


@pytest.mark.parametrize("username", ["superuser", "blora_admin"])
@pytest.mark.parametrize("app_label,model_name", REGISTERED)
def test_every_admin_list_loads(client, users, businesses, username, app_label, model_name):
    client.force_login(users[username])
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    expected = 403 if username != "superuser" and (app_label, model_name) in SUPERUSER_ONLY else 200
    assert response.status_code == expected


def test_office_admin_edits_a_business_and_the_change_is_logged(client, users, businesses):
    business = businesses["blora_plain"]
    client.force_login(users["blora_admin"])
    url = reverse("admin:registry_business_change", args=[business.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["fostering_offices"] = [office.pk for office in data.get("fostering_offices", [])]
    data.update({"name": "Parcel Barokah Jaya", "annual_turnover": "300000000"})
    for prefix in ("products", "licences", "channels"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    business.refresh_from_db()
    assert business.name == "Parcel Barokah Jaya"
    change = ObjectChange.objects.get(object_id=business.pk, action="update")
    assert change.actor == users["blora_admin"]
    assert change.prechange_data["name"] == "Parcel Barokah"
    assert change.postchange_data["annual_turnover"] == 300_000_000


def test_office_admin_manages_only_their_own_office_users(client, users):
    client.force_login(users["blora_admin"])
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "blora_officer" in page and "blora_viewer" in page
    assert "pesawaran_officer" not in page and "industry_officer" not in page and "pusat" not in page
    other = client.get(reverse("admin:accounts_user_change", args=[users["pesawaran_officer"].pk]))
    assert other.status_code == 302  # "does not exist" for this admin


def test_opening_an_owner_in_the_admin_is_a_logged_nik_reveal(client, users, businesses):
    owner = businesses["blora_plain"].owner
    client.force_login(users["blora_admin"])
    response = client.get(reverse("admin:registry_person_change", args=[owner.pk]))
    assert owner.nik in response.content.decode()
    assert NikReveal.objects.filter(actor=users["blora_admin"], person=owner).count() == 1


def test_office_admin_cannot_delete_another_regencys_business(client, users, businesses):
    client.force_login(users["blora_admin"])
    other = businesses["pesawaran"]
    client.post(reverse("admin:registry_business_delete", args=[other.pk]), {"post": "yes"})
    assert Business.objects.filter(pk=other.pk).exists()
