"""The Django admin: every model's pages load, lists are scoped, and edits are logged."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from sentra.audit.models import NikReveal, ObjectChange
from sentra.registry.models import Business, Person

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


def _business_admin_form(client, url: str) -> dict:
    """The admin change form's data as it stands, ready to post back."""
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["fostering_offices"] = [office.pk for office in data.get("fostering_offices", [])]
    for prefix in ("products", "licences", "channels"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_office_admin_edits_a_business_and_the_change_is_logged(client, users, businesses):
    business = businesses["blora_plain"]
    client.force_login(users["blora_admin"])
    url = reverse("admin:registry_business_change", args=[business.pk])
    data = _business_admin_form(client, url)
    data.update({"name": "Parcel Barokah Jaya", "annual_turnover": "300000000"})
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


# Every foreign key of the registry's admin forms, and a value from another regency for it.
FOREIGN_VALUES = {
    "owner": lambda b, users: b["pesawaran"].owner_id,
    "village": lambda b, users: "18.09.01.2001",
    "status_verified_by": lambda b, users: users["pesawaran_officer"].pk,
}


@pytest.mark.parametrize("field", sorted(FOREIGN_VALUES))
def test_no_admin_foreign_key_reaches_another_regency(client, users, businesses, field):
    """Setting the field to another regency's record is refused, and the re-rendered widget names nothing."""
    business = businesses["blora_plain"]
    client.force_login(users["blora_admin"])
    url = reverse("admin:registry_business_change", args=[business.pk])
    data = _business_admin_form(client, url)
    data.update({field: FOREIGN_VALUES[field](businesses, users), "name": ""})
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    page = response.content.decode()
    for other in ("Ahmad Fauzi", "pesawaran_officer", "Way Lima"):
        assert other not in page
    business.refresh_from_db()
    assert business.owner_id != businesses["pesawaran"].owner_id


def test_admin_fostering_offices_are_those_of_the_province(client, users, offices, businesses):
    client.force_login(users["blora_admin"])
    url = reverse("admin:registry_business_change", args=[businesses["blora_plain"].pk])
    choices = client.get(url).context["adminform"].form.fields["fostering_offices"].queryset
    assert offices["pesawaran"] not in choices and offices["blora_industry"] in choices


def test_a_products_business_is_chosen_among_those_in_scope(client, users, businesses):
    client.force_login(users["blora_admin"])
    response = client.post(
        reverse("admin:registry_product_add"),
        {
            "business": businesses["pesawaran"].pk,
            "name": "Keripik",
            "category": "makanan",
            "unit": "pcs",
            "packaging": "plastik",
        },
    )
    assert response.status_code == 200 and "business" in response.context["adminform"].form.errors
    assert "Way Lima" not in response.content.decode()


def test_admin_logs_and_rows_show_niks_masked(client, users, businesses, tmp_path, offices):
    """Change log, import rows and merges keep raw NIKs in their JSON; the admin shows them masked."""
    from sentra.audit.models import ObjectChange as Change
    from sentra.imports.models import ImportBatch, ImportRow

    owner = businesses["blora_plain"].owner
    change = Change.objects.create(
        action="update",
        content_type_id=ContentType.objects.get_for_model(Business).pk,
        object_id=businesses["blora_plain"].pk,
        object_repr="x",
        actor=users["blora_officer"],
        prechange_data={"nik": owner.nik},
        postchange_data={"nik": None},
    )
    batch = ImportBatch.objects.create(office=offices["blora"], file_name="a.xlsx")
    row = ImportRow.objects.create(
        batch=batch, sheet="S", number=3, outcome="rejected", cells=["Siti", owner.nik[:4] + " " + owner.nik[4:]]
    )
    client.force_login(users["blora_admin"])
    for url in (
        reverse("admin:audit_objectchange_change", args=[change.pk]),
        reverse("admin:imports_importrow_change", args=[row.pk]),
    ):
        page = client.get(url).content.decode()
        assert owner.nik[6:] not in page.replace(" ", ""), url
        assert owner.nik[:6] + "**********" in page, url


def test_user_and_role_changes_are_in_the_change_log_without_the_password(client, users):
    officer = users["blora_officer"]
    client.force_login(users["blora_admin"])
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"role": "viewer", "office": officer.office_id, "is_active": "on"})
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data.update({"date_joined_0": "2026-01-05", "date_joined_1": "08:00:00"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = ObjectChange.objects.get(object_id=officer.pk, content_type__model="user")
    assert (change.prechange_data["role"], change.postchange_data["role"]) == ("officer", "viewer")
    assert change.actor == users["blora_admin"]
    password_url = reverse("admin:auth_user_password_change", args=[officer.pk])
    response = client.post(password_url, {"password1": "Ganti-Sandi-2026!", "password2": "Ganti-Sandi-2026!"})
    assert response.status_code == 302
    logged = ObjectChange.objects.filter(object_id=officer.pk, content_type__model="user", message="kata sandi diubah")
    assert logged.exists()
    officer.refresh_from_db()
    for entry in ObjectChange.objects.filter(object_id=officer.pk):
        assert officer.password not in str(entry.prechange_data) + str(entry.postchange_data)


def test_every_scoped_admin_foreign_key_offers_only_records_in_scope(rf, users, businesses):
    """Each foreign key of every scoped admin form, as a Blora admin sees it: no Pesawaran record is a choice."""
    from sentra.core.admin import ScopedAdmin
    from sentra.regions.models import Village

    foreign = {
        Business: businesses["pesawaran"].pk,
        Person: businesses["pesawaran"].owner_id,
        Village: "18.09.01.2001",
        type(users["pesawaran_officer"]): users["pesawaran_officer"].pk,
    }
    request = rf.get("/admin/")
    request.user = users["blora_admin"]
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        form = model_admin.get_form(request, None)()
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            related = getattr(queryset, "model", None)
            if related in foreign:
                assert not queryset.filter(pk=foreign[related]).exists(), f"{model.__name__}.{name}"
                checked += 1
    assert checked >= 5  # business owner, village and verifier, person village, every child's business
