"""An owner shared across regencies (docs/owners.md): the office of their home regency keeps the
record; another office may register a business for the same NIK, under the same name, and learns
nothing more of them; what it types becomes a proposal the keeping office decides on."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user
from sentra.accounts.models import Role
from sentra.audit.models import ObjectChange
from sentra.imports.services import import_file
from sentra.imports.tests.test_import_file import write_sheet
from sentra.imports.undo import undo_import
from sentra.registry import services
from sentra.registry.models import Business, Person, PersonProposal, ProposalStatus
from sentra.registry.owners import keeps, refresh_homes, same_person_name
from sentra.registry.tests.test_views import form_data

pytestmark = pytest.mark.django_db

SECRET_PHONE = "+6281298765432"
SECRET_ADDRESS = "Dusun Rahasia RT 09"


@pytest.fixture
def pesawaran_owner(businesses) -> Person:
    """Ahmad Fauzi, registered in Pesawaran, with details only Pesawaran's office may read."""
    owner = businesses["pesawaran"].owner
    owner.phone, owner.address, owner.birth_date = SECRET_PHONE, SECRET_ADDRESS, dt.date(1985, 5, 12)
    owner.save()
    return owner


def _register_for(client, owner: Person, **overrides):
    data = form_data(
        **{
            "owner-nik": owner.nik,
            "owner-full_name": "AHMAD FAUZI",
            "owner-sex": owner.sex,
            "owner-phone": "0813-1111-2222",
            "owner-address": "Jl. Blora 5",
            **overrides,
        }
    )
    return client.post(reverse("registry:business_create"), data, follow=True)


def _assert_hidden(html: str) -> None:
    for secret in (SECRET_PHONE, "98765432", SECRET_ADDRESS, "12 Mei 1985"):
        assert secret not in html


def test_the_home_regency_is_where_an_owner_was_first_registered(businesses, pesawaran_owner):
    assert pesawaran_owner.home_regency_id == "18.09"
    assert businesses["blora_plain"].owner.home_regency_id == "33.16"


def test_names_that_mean_the_same_person():
    assert same_person_name("AHMAD FAUZI", "Ahmad Fauzi")
    assert same_person_name("Siti Aminah", "Hj. Siti Aminah, S.Pd.")
    assert same_person_name("Sri Wahyini", "Sri Wahyuni")  # a typing slip
    assert not same_person_name("Sri Wahyuni", "Sri Wahyuningsih")  # another name
    assert not same_person_name("Budi Santoso", "Ahmad Fauzi")
    assert not same_person_name("", "Ahmad Fauzi")


def test_another_regency_links_by_nik_and_learns_nothing_more(client, users, pesawaran_owner):
    client.force_login(users["blora_officer"])
    response = _register_for(client, pesawaran_owner)
    assert response.status_code == 200
    business = Business.objects.get(name="Terasi Bu Sri")
    assert business.owner == pesawaran_owner
    html = response.content.decode()
    assert "Ahmad Fauzi" in html  # the record's own name, which Blora typed
    _assert_hidden(html)
    assert "dikelola oleh" in html
    # Nothing of the Pesawaran record changed; what Blora typed waits as a proposal.
    pesawaran_owner.refresh_from_db()
    assert (pesawaran_owner.phone, pesawaran_owner.address) == (SECRET_PHONE, SECRET_ADDRESS)
    proposal = PersonProposal.objects.get(person=pesawaran_owner)
    assert proposal.values == {"phone": "+6281311112222", "address": "Jl. Blora 5"}
    assert proposal.office == users["blora_officer"].office
    assert "+62 813-1111-2222" in html  # Blora sees its own proposal, nothing of the record


def test_the_edit_form_never_carries_the_other_regencys_details(client, users, pesawaran_owner):
    client.force_login(users["blora_officer"])
    _register_for(client, pesawaran_owner)
    business = Business.objects.get(name="Terasi Bu Sri")
    page = client.get(reverse("registry:business_edit", args=[business.pk])).content.decode()
    _assert_hidden(page)
    assert pesawaran_owner.nik[6:] not in page
    # Saving the form with a new phone changes nothing of the person.
    data = form_data(**{"owner-nik": "", "owner-full_name": "Ahmad Fauzi", "owner-phone": "0815-0000-1111"})
    data["business-village"] = business.village_id
    response = client.post(reverse("registry:business_edit", args=[business.pk]), data)
    assert response.status_code == 302
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.phone == SECRET_PHONE
    assert PersonProposal.objects.filter(person=pesawaran_owner, values__phone="+6281500001111").exists()


def test_a_nik_under_another_name_is_refused_without_saying_whose_it_is(client, users, pesawaran_owner):
    client.force_login(users["blora_officer"])
    response = _register_for(client, pesawaran_owner, **{"owner-full_name": "Budi Santoso"})
    html = response.content.decode()
    assert "NIK ini sudah terdaftar untuk pemilik dengan nama lain" in html
    assert "Ahmad" not in html
    _assert_hidden(html)
    assert not Business.objects.filter(name="Terasi Bu Sri").exists()


def test_the_keeping_office_decides_the_proposal_and_every_sharer_sees_the_change(client, users, pesawaran_owner):
    client.force_login(users["blora_officer"])
    _register_for(client, pesawaran_owner)
    blora_business = Business.objects.get(name="Terasi Bu Sri")
    proposal = PersonProposal.objects.get(person=pesawaran_owner)

    # Blora may not decide on a Pesawaran record.
    url = reverse("registry:proposal_decide", args=[blora_business.pk, proposal.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 404

    client.force_login(users["pesawaran_officer"])
    home_business = Business.objects.get(name="Keripik Pisang Way Lima")
    page = client.get(reverse("registry:business_detail", args=[home_business.pk])).content.decode()
    assert "Usulan perubahan dari" in page and "+62 813-1111-2222" in page
    # The new business of their owner shows on Pesawaran's own history.
    history = client.get(reverse("registry:business_tab", args=[home_business.pk, "riwayat"])).content.decode()
    assert "UMKM baru untuk pemilik ini" in history
    url = reverse("registry:proposal_decide", args=[home_business.pk, proposal.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.phone == "+6281311112222"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED

    # Blora's history tab shows the owner changed, not to what.
    client.force_login(users["blora_officer"])
    history = client.get(reverse("registry:business_tab", args=[blora_business.pk, "riwayat"])).content.decode()
    assert "Nomor HP" in history and "(disembunyikan)" in history
    _assert_hidden(history)


def test_declining_leaves_the_record(users, pesawaran_owner, businesses):
    proposal = services.propose_person_change(
        actor=users["blora_officer"], person=pesawaran_owner, values={"phone": "+6281300000000"}
    )
    services.decide_person_proposal(actor=users["pesawaran_officer"], proposal=proposal, accept=False)
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.phone == SECRET_PHONE
    assert PersonProposal.objects.get().status == ProposalStatus.DECLINED


def test_the_full_nik_is_revealed_only_by_the_keeping_office(client, users, offices, pesawaran_owner):
    client.force_login(users["blora_officer"])
    _register_for(client, pesawaran_owner)
    client.force_login(users["blora_admin"])
    assert client.post(reverse("registry:owner_nik", args=[pesawaran_owner.pk])).status_code == 404
    page = client.get(reverse("registry:business_detail", args=[Business.objects.get(name="Terasi Bu Sri").pk]))
    assert reverse("registry:owner_nik", args=[pesawaran_owner.pk]) not in page.content.decode()
    pesawaran_admin = make_user("pesawaran_admin", offices["pesawaran"], Role.ADMIN)
    client.force_login(pesawaran_admin)
    response = client.post(reverse("registry:owner_nik", args=[pesawaran_owner.pk]))
    assert pesawaran_owner.nik in response.content.decode()


def test_a_person_changes_only_through_the_keeping_office(users, pesawaran_owner):
    assert keeps(users["pesawaran_officer"], pesawaran_owner, "change")
    assert not keeps(users["blora_officer"], pesawaran_owner, "view")
    pesawaran_owner.phone = "+6281111111111"
    with pytest.raises(services.PermissionDenied):
        services.save_person(actor=users["blora_officer"], person=pesawaran_owner)


def test_the_home_moves_when_no_business_is_left_there(users, pesawaran_owner, businesses):
    services.save_business_with_owner(
        actor=users["blora_officer"],
        business=Business(name="Terasi Blora", village_id="33.16.01.2001"),
        owner_values={"nik": pesawaran_owner.nik, "full_name": "Ahmad Fauzi", "sex": pesawaran_owner.sex},
        fostering_offices=[],
    )
    services.archive_business(actor=users["pesawaran_officer"], business=businesses["pesawaran"])
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.home_regency_id == "33.16"
    refresh_homes([pesawaran_owner.pk])  # idempotent
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.home_regency_id == "33.16"


def test_an_office_admin_reads_every_change_to_what_it_holds(client, users, offices, pesawaran_owner):
    """The change log shows a Pesawaran admin what Blora did to a shared owner, with private values hidden
    from Blora where Pesawaran changes them."""
    client.force_login(users["blora_officer"])
    _register_for(client, pesawaran_owner)
    pesawaran_admin = make_user("pesawaran_admin", offices["pesawaran"], Role.ADMIN, is_staff=True)
    visible = ObjectChange.objects.restrict(pesawaran_admin)
    assert visible.filter(actor=users["blora_officer"], object_id=pesawaran_owner.pk).exists()
    assert not visible.filter(actor=users["blora_officer"], object_repr="Terasi Bu Sri").exists()
    pesawaran_owner.phone = "+6281111111111"
    services.save_person(actor=pesawaran_admin, person=pesawaran_owner)
    change = ObjectChange.objects.filter(object_id=pesawaran_owner.pk, actor=pesawaran_admin).get()
    client.force_login(users["blora_admin"])
    page = client.get(reverse("admin:audit_objectchange_change", args=[change.pk])).content.decode()
    assert "6281111111111" not in page and SECRET_PHONE not in page


def _import(tmp_path, offices, users, rows):
    path = write_sheet(tmp_path / "umkm.xlsx", rows)
    return import_file(path=path, office=offices["blora"], actor=users["blora_officer"])


def _row(name: str, nik: str, business: str, phone: str = "") -> list:
    return [1, name, nik, business, "", "Bangkleyan", "Jati", "", phone]


def test_an_import_links_a_shared_owner_without_writing_to_them(tmp_path, offices, users, pesawaran_owner):
    result = _import(tmp_path, offices, users, [_row("AHMAD FAUZI", pesawaran_owner.nik, "Terasi", "081377778888")])
    assert result.counts["created"] == 1
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.phone == SECRET_PHONE
    assert PersonProposal.objects.get(person=pesawaran_owner).values == {"phone": "+6281377778888"}
    assert Business.objects.get(name="Terasi").owner == pesawaran_owner
    assert ObjectChange.objects.filter(object_id=pesawaran_owner.pk, message__startswith="UMKM baru").exists()
    # Undoing the import withdraws the proposal it made.
    undo_import(result.batch, actor=users["blora_officer"])
    assert PersonProposal.objects.get(person=pesawaran_owner).status == ProposalStatus.WITHDRAWN
    pesawaran_owner.refresh_from_db()
    assert pesawaran_owner.home_regency_id == "18.09"


def test_an_import_row_naming_a_shared_nik_under_another_name_is_rejected(tmp_path, offices, users, pesawaran_owner):
    result = _import(tmp_path, offices, users, [_row("Budi Santoso", pesawaran_owner.nik, "Terasi")])
    assert result.counts["rejected"] == 1
    assert "nama lain" in result.rows[0][0].errors["nik"]
    assert not Business.objects.filter(name="Terasi").exists()


def test_undo_keeps_an_owner_detail_corrected_since(tmp_path, offices, users, businesses):
    """The import fills a Blora owner's blank phone (logged with its before); an officer corrects it;
    undoing the import leaves the correction."""
    owner = businesses["blora_plain"].owner
    result = _import(tmp_path, offices, users, [_row(owner.full_name, owner.nik, "Usaha Kedua", "081355556666")])
    owner.refresh_from_db()
    assert owner.phone == "+6281355556666"
    fill = ObjectChange.objects.filter(object_id=owner.pk, action="update", message__startswith="impor").get()
    assert fill.prechange_data["phone"] == "" and fill.postchange_data["phone"] == "+6281355556666"
    owner.phone = "+6281399990000"
    services.save_person(actor=users["blora_officer"], person=owner)
    undo_import(result.batch, actor=users["blora_officer"])
    owner.refresh_from_db()
    assert owner.phone == "+6281399990000"


def test_undo_blanks_again_what_nobody_touched(tmp_path, offices, users, businesses):
    owner = businesses["blora_plain"].owner
    result = _import(tmp_path, offices, users, [_row(owner.full_name, owner.nik, "Usaha Kedua", "081355556666")])
    undo_import(result.batch, actor=users["blora_officer"])
    owner.refresh_from_db()
    assert owner.phone == ""


def test_an_import_logs_every_business_it_creates(tmp_path, offices, users):
    result = _import(tmp_path, offices, users, [_row("Sri Wahyuni", "3316015205850001", "Terasi Bu Sri")])
    business = Business.objects.get(name="Terasi Bu Sri")
    entry = ObjectChange.objects.get(object_id=business.pk, action="create", content_type__model="business")
    assert entry.message == f"impor #{result.batch.pk}: umkm.xlsx"
    assert entry.postchange_data["name"] == "Terasi Bu Sri"
    assert entry.postchange_data["village"] == business.village_id
    assert entry.postchange_data["fostering_offices"] == [offices["blora"].pk]


def test_what_the_profile_shows_never_gives_the_nik_back(client, users, businesses):
    """Masked NIK, birth date, sex and the business's district together leave the serial unknown:
    at least 1,000 NIKs fit what a viewer reads."""
    import re

    business = businesses["blora_plain"]
    owner = business.owner
    owner.birth_date = dt.date(1985, 5, 12)
    owner.save()
    client.force_login(users["blora_viewer"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    shown = re.search(r"(\d{2,16})(\*+)", page)
    assert shown is not None
    digits, stars = shown.groups()
    assert len(digits) + len(stars) == 16
    known = set(range(len(digits))) | set(range(6, 12))  # the birth date and sex give digits 7–12
    unknown = [position for position in range(16) if position not in known]
    assert 10 ** len(unknown) >= 1000
