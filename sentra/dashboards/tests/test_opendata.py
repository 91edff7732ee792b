"""Open data: public, aggregates only, small cells suppressed and not recoverable by subtraction.

A small registry counted by hand (KBLI: C = 10110, G = 45101, I = 55110, A = 01111):

| district              | section | businesses | operating | published                           |
|-----------------------|---------|------------|-----------|-------------------------------------|
| 33.16.01 Jati         | C       | 6          | 5         | 6                                   |
|                       | G       | 2          | 2         | suppressed                          |
|                       | none    | 1          | 1         | suppressed                          |
|                       | (operating per district: 8 ≤ 6 + 2 known at least)        | 8     |
| 33.16.02 Randublatung | C       | 7          | 7         | 7                                   |
|                       | I       | 5          | 3         | 5                                   |
|                       | (operating 10 of 12: 2 not operating)                     | suppressed |
| 33.16.03 Kradenan     | C       | 5          | 5         | 5                                   |
|                       | A       | 4          | 4         | suppressed                          |
|                       | (operating 9 > 5 + 1 would show A = 4)                    | suppressed |
| 33.16.04 Kedungtuban  | C       | 6          | 2         | 6                                   |
|                       | (operating 2)                                             | suppressed |
| 18.09.01 Gedong Tataan| C       | 10         | 5         | 10                                  |
|                       | (operating 5 of 10)                                       | 5     |
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from conftest import make_business
from sentra.dashboards.opendata import operating_published
from sentra.registry import services
from sentra.registry.models import Business, Person

pytestmark = pytest.mark.django_db

KBLI_C, KBLI_G, KBLI_I, KBLI_A = "10110", "45101", "55110", "01111"
# (village, KBLI or None, how many, how many of them operating)
FIXTURE = [
    ("33.16.01.2001", KBLI_C, 6, 5),
    ("33.16.01.2002", KBLI_G, 2, 2),
    ("33.16.01.2001", None, 1, 1),
    ("33.16.02.1005", KBLI_C, 7, 7),
    ("33.16.02.1011", KBLI_I, 5, 3),
    ("33.16.03.2001", KBLI_C, 5, 5),
    ("33.16.03.2002", KBLI_A, 4, 4),
    ("33.16.04.2001", KBLI_C, 6, 2),
    ("18.09.01.2001", KBLI_C, 10, 5),
]
EXPECTED_KBLI = {
    ("33.16.01", "C"): (6, False),
    ("33.16.01", "G"): (None, True),
    ("33.16.01", ""): (None, True),
    ("33.16.02", "C"): (7, False),
    ("33.16.02", "I"): (5, False),
    ("33.16.03", "C"): (5, False),
    ("33.16.03", "A"): (None, True),
    ("33.16.04", "C"): (6, False),
    ("18.09.01", "C"): (10, False),
}
EXPECTED_OPERATING = {
    "33.16.01": (8, False),
    "33.16.02": (None, True),
    "33.16.03": (None, True),
    "33.16.04": (None, True),
    "18.09.01": (5, False),
}
SECRET_OWNER = "Rahasia Pemilik"
SECRET_BUSINESS = "Usaha Rahasia"


@pytest.fixture
def registry(offices) -> list[Business]:
    made = []
    for village, kbli, count, operating in FIXTURE:
        for number in range(count):
            made.append(
                make_business(
                    village,
                    f"{SECRET_BUSINESS} {village} {kbli} {number}",
                    [offices["blora"]],
                    owner_name=f"{SECRET_OWNER} {len(made)}",
                    kbli_id=kbli,
                    status="active" if number < operating else "closed",
                    address="Jl. Rahasia No. 1",
                )
            )
    return made


def get_csv(client, **params) -> list[dict]:
    response = client.get(reverse("opendata:csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def get_json(client, **params) -> dict:
    response = client.get(reverse("opendata:json"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def kbli_cells(rows: list[dict]) -> dict:
    return {(row["kode_kecamatan"], row["kategori_kbli"]): (row["jumlah_umkm"], row["ditekan"]) for row in rows}


def csv_cell(count: int | None, suppressed: bool) -> tuple[str, str]:
    return ("" if count is None else str(count), "ya" if suppressed else "tidak")


def test_anonymous_visitors_get_every_page(client, registry):
    for name in ("opendata:index", "opendata:csv", "opendata:json"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    index = client.get(reverse("opendata:index")).content.decode()
    assert reverse("opendata:csv") in index and reverse("opendata:json") in index
    assert "ODbL" in index and "Menu utama" not in index  # no logged-in navigation


def test_files_may_be_cached_and_fetched_from_anywhere(client, registry):
    for name in ("opendata:csv", "opendata:json"):
        response = client.get(reverse(name))
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.cookies


def test_small_cells_are_suppressed_and_the_others_exact(client, registry):
    rows = get_csv(client)
    assert kbli_cells(rows) == {key: csv_cell(*value) for key, value in EXPECTED_KBLI.items()}
    no_kbli = next(row for row in rows if row["kategori_kbli"] == "")
    assert no_kbli["nama_kategori_kbli"] == "Belum ada KBLI"
    jati = next(row for row in rows if row["kode_kecamatan"] == "33.16.01")
    assert (jati["kode_provinsi"], jati["nama_provinsi"]) == ("33", "Jawa Tengah")
    assert (jati["kode_kabupaten_kota"], jati["nama_kabupaten_kota"]) == ("33.16", "Kabupaten Blora")
    assert jati["nama_kecamatan"] == "Jati"
    assert next(row for row in rows if row["kategori_kbli"] == "C")["nama_kategori_kbli"] == "INDUSTRI PENGOLAHAN"

    document = get_json(client)
    assert document["sel_kecil_ditekan_di_bawah"] == 5
    cells = {
        (row["kode_kecamatan"], row["kategori_kbli"]): (row["jumlah_umkm"], row["ditekan"]) for row in document["data"]
    }
    assert cells == EXPECTED_KBLI


def test_operating_per_district_is_suppressed_when_it_would_give_a_small_cell_away(client, registry):
    rows = get_csv(client, tabel="kecamatan")
    assert {row["kode_kecamatan"]: (row["jumlah_umkm_beroperasi"], row["ditekan"]) for row in rows} == {
        code: csv_cell(*value) for code, value in EXPECTED_OPERATING.items()
    }


def test_no_suppressed_cell_can_be_worked_out_from_what_is_published(client, registry):
    """An attacker adds up the published cells of a district and compares with anything else published."""
    kbli = get_json(client)["data"]
    operating = {
        row["kode_kecamatan"]: row["jumlah_umkm_beroperasi"] for row in get_json(client, tabel="kecamatan")["data"]
    }
    for district in {row["kode_kecamatan"] for row in kbli}:
        cells = [row for row in kbli if row["kode_kecamatan"] == district]
        assert all(row["kode_kecamatan"] and row["kategori_kbli"] is not None for row in cells)  # no total rows
        published = sum(row["jumlah_umkm"] for row in cells if not row["ditekan"])
        hidden = sum(1 for row in cells if row["ditekan"])
        known_total_at_least = published + hidden  # each suppressed cell holds at least one business
        if operating[district] is not None:
            # Operating businesses are registered ones: a larger count would bound the suppressed cells.
            assert operating[district] <= known_total_at_least
            if not hidden:
                assert not 0 < known_total_at_least - operating[district] < 5
    # Kradenan: publishing its 9 operating businesses would show that its one suppressed cell holds 4.
    assert operating["33.16.03"] is None


@pytest.mark.parametrize(
    ("operating", "registered", "cells", "expected"),
    [
        (20, 30, [30], (20, False)),
        (3, 30, [30], (None, True)),  # small
        (27, 30, [30], (None, True)),  # three not operating, and the total is known
        (25, 30, [30], (25, False)),
        (26, 30, [26, 4], (26, False)),  # 26 + 1 are known to be there: 26 or 27 operating says nothing
        (27, 30, [26, 4], (27, False)),
        (28, 30, [26, 4], (None, True)),  # would show the suppressed cell holds at least 2
        (0, 7, [5, 2], (0, False)),
        (0, 1, [1], (None, True)),  # every business in small cells: even none operating would tell
        (0, 7, [4, 3], (None, True)),
    ],
)
def test_operating_published_rule(operating, registered, cells, expected):
    assert operating_published(operating=operating, registered=registered, cells=cells) == expected


def test_no_personal_data_is_published(client, registry):
    niks = [nik for nik in Person.objects.values_list("nik", flat=True) if nik]
    pages = [
        client.get(reverse("opendata:csv")).content.decode(),
        client.get(reverse("opendata:csv"), {"tabel": "kecamatan"}).content.decode(),
        client.get(reverse("opendata:json")).content.decode(),
        client.get(reverse("opendata:json"), {"tabel": "kecamatan"}).content.decode(),
        client.get(reverse("opendata:index"), {"wilayah": "33.16"}).content.decode(),
    ]
    for page in pages:
        assert SECRET_OWNER not in page and SECRET_BUSINESS not in page and "Rahasia" not in page
        assert not any(nik in page for nik in niks)
    header = next(csv.reader(io.StringIO(pages[0])))
    assert header == [
        "kode_provinsi",
        "nama_provinsi",
        "kode_kabupaten_kota",
        "nama_kabupaten_kota",
        "kode_kecamatan",
        "nama_kecamatan",
        "kategori_kbli",
        "nama_kategori_kbli",
        "jumlah_umkm",
        "ditekan",
    ]


def test_wilayah_narrows_to_a_region(client, registry):
    assert {key[0] for key in kbli_cells(get_csv(client, wilayah="18"))} == {"18.09.01"}
    assert {key[0] for key in kbli_cells(get_csv(client, wilayah="33.16"))} == {
        "33.16.01",
        "33.16.02",
        "33.16.03",
        "33.16.04",
    }
    assert kbli_cells(get_csv(client, wilayah="33.16.02")) == {
        ("33.16.02", "C"): ("7", "tidak"),
        ("33.16.02", "I"): ("5", "tidak"),
    }
    assert get_csv(client, wilayah="33.17") == []
    document = get_json(client, wilayah="33.16")
    assert document["wilayah"] == {"kode": "33.16", "nama": "Kabupaten Blora"}
    for bad in ("99", "33.99", "x"):
        assert client.get(reverse("opendata:csv"), {"wilayah": bad}).status_code == 400
    assert client.get(reverse("opendata:json"), {"tabel": "pemilik"}).status_code == 400


def test_csv_and_json_agree(client, registry):
    for table in ("kbli", "kecamatan"):
        rows = get_csv(client, tabel=table)
        document = get_json(client, tabel=table)
        assert list(rows[0]) == document["kolom"]
        as_text = [
            {
                key: "" if value is None else ("ya" if value else "tidak") if isinstance(value, bool) else str(value)
                for key, value in row.items()
            }
            for row in document["data"]
        ]
        assert rows == as_text


def test_json_describes_itself(client, registry):
    document = get_json(client)
    assert set(document) >= {"keterangan", "lisensi", "dibuat", "sel_kecil_ditekan_di_bawah", "data"}
    assert "ODbL" in document["lisensi"]
    assert document["dibuat"][:4].isdigit() and "T" in document["dibuat"]
    assert document["wilayah"] == {"kode": "", "nama": "Indonesia"}


def test_figures_follow_an_edit_at_once(client, registry, users):
    kedungtuban = Business.objects.filter(district_id="33.16.04", status="closed").first()
    services.verify_business_status(actor=users["blora_officer"], business=kedungtuban, status="active")
    rows = {row["kode_kecamatan"]: row for row in get_csv(client, tabel="kecamatan")}
    # 3 of 6 operating now, 3 not: still suppressed, for both are small.
    assert rows["33.16.04"]["jumlah_umkm_beroperasi"] == ""
    for business in Business.objects.filter(district_id="33.16.04", status="closed")[:2]:
        services.verify_business_status(actor=users["blora_officer"], business=business, status="active")
    rows = {row["kode_kecamatan"]: row for row in get_csv(client, tabel="kecamatan")}
    assert rows["33.16.04"]["jumlah_umkm_beroperasi"] == ""  # 5 of 6: one not operating
    business = Business.objects.filter(district_id="33.16.04", status="closed").get()
    business.village_id = "33.16.01.2001"  # moves to Jati: Kedungtuban has 5, all operating
    services.update_business(actor=users["blora_officer"], business=business)
    cells = kbli_cells(get_csv(client))
    assert cells[("33.16.04", "C")] == ("5", "tidak") and cells[("33.16.01", "C")] == ("7", "tidak")
    rows = {row["kode_kecamatan"]: row for row in get_csv(client, tabel="kecamatan")}
    assert rows["33.16.04"]["jumlah_umkm_beroperasi"] == "5"


def test_index_filters_by_region_and_previews_the_table(client, registry):
    response = client.get(reverse("opendata:index"), {"wilayah": "33.16", "tabel": "kbli"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kabupaten Blora" in page and "Kradenan" in page and "Gedong Tataan" not in page
    assert f"{reverse('opendata:csv')}?wilayah=33.16&amp;tabel=kbli" in page
    invalid = client.get(reverse("opendata:index"), {"wilayah": "99"})
    assert invalid.status_code == 200 and "Kode wilayah tidak dikenal." in invalid.content.decode()
