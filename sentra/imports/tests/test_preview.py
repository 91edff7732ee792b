"""The preview keeps what the officer decides: a mapping given to an ignored column and a KBLI
code typed over a suggestion survive the re-check, the page says why it checked again, and the
records are saved with the officer's choices."""

import pytest
from django.urls import reverse

from conftest import run_queued_tasks
from sentra.imports.models import ImportStatus
from sentra.imports.tests.test_workflow import act, sheet_bytes, upload
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db

HEADER = ["NO", "NAMA PEMILIK", "NAMA USAHA / MERK", "DESA", "KEC.", "NO. HP / WA", "KEGIATAN USAHA", "PRODUK ANDALAN"]
ROWS = [
    [1, "Sri Wahyuni", "Terasi Bu Sri", "Bangkleyan", "Jati", "0812-3456-7890", "pembuatan terasi", "terasi udang"],
    [2, "Ahmad Fauzi", "Mebel Jati Fauzi", "Gempol", "Jati", "", "mebel kayu jati", "kursi tamu"],
    [3, "Warsini", "Terasi Mbak War", "Kepoh", "Jati", "0813-1111-2222", "pembuatan terasi", "terasi rebon"],
    [4, "Suparmi", "Warung Bu Parmi", "Sorogo Wetan", "Jati", "", "warung makan", ""],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(client, users):
    client.force_login(users["blora_officer"])
    return client


def checked(batch):
    run_queued_tasks()
    batch.refresh_from_db()
    return batch


def test_the_officers_kbli_and_mapping_are_what_gets_saved(officer, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "umkm kec jati.xlsx"
    path.write_bytes(sheet_bytes(HEADER, ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path)
    batch = checked(batch)
    preview = batch.preview
    columns = {column["label"]: column for column in preview["columns"]}
    assert columns["PRODUK ANDALAN"]["field"] == "" and columns["PRODUK ANDALAN"]["sample"] == "terasi udang"
    assert columns["NO. HP / WA"]["field"] == "phone" and columns["NAMA USAHA / MERK"]["field"] == "business_name"
    assert preview["ignored"] == 2  # NO and PRODUK ANDALAN
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert '<details class="card" id="mapping" open>' in page and "2 kolom diabaikan" in page
    # The reject names its business and owner beside sheet and row.
    assert preview["rejected"][0] | {"reasons": None} == {
        "sheet": "Data",
        "number": 5,
        "business_name": "Warung Bu Parmi",
        "owner_name": "Suparmi",
        "reasons": None,
    }
    assert "Warung Bu Parmi" in page and "Suparmi" in page

    terasi = next(s for s in preview["suggestions"] if s["text"] == "pembuatan terasi")
    assert terasi["rows"] == 2 and terasi["code"] and terasi["code"] != "10213"
    # The officer types another code (without ticking "terima") and maps PRODUK ANDALAN, then clicks Impor.
    choices = {f"kbli-{terasi['key']}": "10213", "map-produk andalan": "product"}
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import", **choices)
    batch = checked(batch)
    assert batch.status == ImportStatus.CHECKED and not Business.objects.exists()  # checked again, not imported
    assert batch.kbli_choices == {terasi["key"]: "10213"} and batch.mapping["produk andalan"] == "product"
    assert batch.preview["recheck"] == [
        "Kolom “PRODUK ANDALAN” kini diisikan ke Produk utama.",
        "KBLI 10213 dipakai untuk “pembuatan terasi”.",
    ]
    again = next(s for s in batch.preview["suggestions"] if s["key"] == terasi["key"])
    assert (again["code"], again["chosen"], again["suggested_code"]) == ("10213", True, terasi["code"])
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Diperiksa ulang dengan perubahan Anda" in page and "KBLI 10213 dipakai" in page
    assert f'name="kbli-{terasi["key"]}" value="10213"' in page

    # The page posts back what it shows: the same choices, so this click imports.
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import", **choices)
    batch = checked(batch)
    assert batch.status == ImportStatus.DONE
    assert set(Business.objects.values_list("name", "kbli_id")) == {
        ("Terasi Bu Sri", "10213"),
        ("Terasi Mbak War", "10213"),
        ("Mebel Jati Fauzi", None),
    }
    assert Business.objects.get(name="Terasi Bu Sri").products.get().name == "terasi udang"


def test_a_code_that_is_no_kbli_is_said_not_dropped_silently(officer, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "umkm.xlsx"
    path.write_bytes(sheet_bytes(HEADER, ROWS[:2]))
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path)
    batch = checked(batch)
    mebel = next(s for s in batch.preview["suggestions"] if s["text"] == "mebel kayu jati")
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="recheck", **{f"kbli-{mebel['key']}": "99999"})
    batch = checked(batch)
    assert batch.kbli_choices == {}
    assert batch.preview["recheck"] == [
        "Kode 99999 untuk “mebel kayu jati” bukan kode KBLI 2020 lima angka; tidak dipakai."
    ]


def test_a_missing_required_column_opens_the_mapping(officer, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(
        sheet_bytes(
            ["Nama Pemilik", "Merk Dagang", "Desa", "Catatan"], [["Sri Wahyuni", "Terasi Bu Sri", "Gempol", "-"]]
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path)
    batch = checked(batch)
    assert batch.status == ImportStatus.FAILED and batch.preview["missing"] == ["business_name"]
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert '<details class="card" id="mapping" open>' in page and "Kolom wajib belum ditemukan: Nama usaha" in page
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="recheck", **{"map-merk dagang": "business_name"})
    batch = checked(batch)
    assert batch.status == ImportStatus.CHECKED and batch.preview["counts"]["created"] == 1
    assert batch.preview["recheck"] == ["Kolom “Merk Dagang” kini diisikan ke Nama usaha."]
