"""The Kemendagri region tables and KBLI 2020, as the session fixture loads them."""

import pytest
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat

from sentra.kbli.models import Kbli, KbliLevel
from sentra.kbli.services import load_kbli
from sentra.regions.models import District, Province, Regency, Village
from sentra.regions.services import load_regions

REGION_COUNTS = {Province: 38, Regency: 514, District: 7_285, Village: 83_762}
KBLI_COUNTS = {
    KbliLevel.SECTION: 21,
    KbliLevel.DIVISION: 88,
    KbliLevel.GROUP: 238,
    KbliLevel.CLASS: 567,
    KbliLevel.SUBCLASS: 1_790,
}


PARENT = {
    Province: lambda area: None,
    Regency: lambda area: area.province_id,
    District: lambda area: area.regency_id,
    Village: lambda area: area.district_id,
}


def region_counts() -> dict:
    return {model: model.objects.count() for model in REGION_COUNTS}


def kbli_counts() -> dict:
    return {level: Kbli.objects.filter(level=level).count() for level in KBLI_COUNTS}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "count"), list(REGION_COUNTS.items()), ids=lambda v: getattr(v, "__name__", v))
def test_region_counts(model, count):
    assert model.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "count"), list(KBLI_COUNTS.items()), ids=str)
def test_kbli_counts(level, count):
    assert Kbli.objects.filter(level=level).count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "code", "name", "parent"),
    [
        (Province, "33", "Jawa Tengah", None),
        (Province, "18", "Lampung", None),
        (Regency, "33.16", "Kabupaten Blora", "33"),
        (Regency, "18.05", "Kabupaten Tulang Bawang", "18"),
        (Regency, "18.09", "Kabupaten Pesawaran", "18"),
        (District, "33.16.01", "Jati", "33.16"),
        (Village, "33.16.01.2001", "Bangkleyan", "33.16.01"),
        (Village, "33.16.01.2002", "Gempol", "33.16.01"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_known_codes(model, code, name, parent):
    area = model.objects.get(code=code)
    assert area.name == name
    assert PARENT[model](area) == parent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "parent_field"),
    [(Regency, "province_id"), (District, "regency_id"), (Village, "district_id")],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_code_starts_with_its_parent_code(model, parent_field):
    assert not model.objects.exclude(code__startswith=Concat(F(parent_field), Value("."))).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "level", "section", "parent", "title"),
    [
        ("C", KbliLevel.SECTION, "C", None, "INDUSTRI PENGOLAHAN"),
        ("10295", KbliLevel.SUBCLASS, "C", "1029", "INDUSTRI PERAGIAN/FERMENTASI BIOTA AIR LAINNYA"),
        ("96200", KbliLevel.SUBCLASS, "S", "9620", "AKTIVITAS PENATU"),
    ],
)
def test_known_kbli_codes(code, level, section, parent, title):
    kbli = Kbli.objects.get(code=code)
    assert (kbli.level, kbli.section, kbli.parent_id, kbli.title) == (level, section, parent, title)


@pytest.mark.django_db
def test_loading_regions_again_changes_nothing():
    before = region_counts()
    blora_villages = list(Village.objects.filter(code__startswith="33.16.").values_list("code", "district_id", "name"))
    counts = load_regions()
    assert counts == {"province": 38, "regency": 514, "district": 7_285, "village": 83_762}
    assert region_counts() == before
    assert list(Village.objects.filter(code__startswith="33.16.").values_list("code", "district_id", "name")) == (
        blora_villages
    )


@pytest.mark.django_db
def test_loading_regions_restores_an_edited_name():
    Regency.objects.filter(code="33.16").update(name="Blora (salah ketik)")
    load_regions()
    assert Regency.objects.get(code="33.16").name == "Kabupaten Blora"


@pytest.mark.django_db
def test_loading_kbli_again_changes_nothing():
    before = kbli_counts()
    terasi = Kbli.objects.values().get(code="10295")
    assert load_kbli() == sum(KBLI_COUNTS.values())
    assert kbli_counts() == before
    assert Kbli.objects.values().get(code="10295") == terasi


@pytest.mark.django_db
def test_management_commands_are_idempotent():
    regions, kbli = region_counts(), kbli_counts()
    call_command("load_regions", verbosity=0)
    call_command("load_kbli", verbosity=0)
    assert (region_counts(), kbli_counts()) == (regions, kbli)
