"""The record of processing activities (UU 27/2022 PDP, Pasal 31): what Sentra does with personal
data, why, on what basis, who receives it and how long it is kept. Kept here, beside the code that
does the processing, so that a change to one is a change to the other; shown to superusers."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Activity:
    name: object
    purpose: object
    basis: object
    subjects: object
    data: object
    recipients: object
    retention: object
    safeguards: object


def _log_retention() -> str:
    days = settings.CHANGE_LOG_RETENTION_DAYS
    if not days:
        return str(_("Riwayat perubahan, pembukaan NIK dan unduhan disimpan tanpa batas waktu."))
    return str(_("Riwayat perubahan, pembukaan NIK dan unduhan dihapus setelah %(days)s hari.") % {"days": days})


ACTIVITIES = (
    Activity(
        name=_("Pendataan UMKM"),
        purpose=_("Mendaftar, membina dan memantau UMKM di wilayah kantor (Satu Data UMKM)."),
        basis=_(
            "Pelaksanaan kewenangan berdasarkan peraturan perundang-undangan (UU PDP Pasal 20 ayat 2 huruf e); "
            "PP 7/2021 tentang kemudahan, pelindungan dan pemberdayaan koperasi dan UMKM."
        ),
        subjects=_("Pemilik UMKM (pelaku usaha)."),
        data=_(
            "NIK, nama, jenis kelamin, tanggal lahir, nomor HP, alamat; data usaha (NIB, KBLI, modal, omzet, "
            "tenaga kerja, produk, izin)."
        ),
        recipients=_(
            "Kantor dinas koperasi kabupaten/kota tempat UMKM berada, dinas provinsi (baca), instansi "
            "mitra untuk UMKM binaannya saja. Data pribadi pemilik yang terdaftar di beberapa wilayah "
            "hanya dibaca kantor wilayah asalnya."
        ),
        retention=_("Selama UMKM terdaftar; data yang dihapus tetap tercatat di riwayat perubahan."),
        safeguards=_(
            "Akses per wilayah dan peran; NIK disamarkan, pembukaan NIK dicatat; sandi dengan batas "
            "percobaan; HTTPS; berkas unggahan disimpan privat."
        ),
    ),
    Activity(
        name=_("Impor daftar UMKM"),
        purpose=_("Memasukkan data UMKM dari berkas kantor sendiri."),
        basis=_("Sama dengan pendataan UMKM."),
        subjects=_("Pemilik UMKM dalam berkas."),
        data=_("Isi berkas apa adanya; baris yang ditolak disimpan untuk diperbaiki."),
        recipients=_("Petugas kantor pengimpor."),
        retention=_("Berkas disimpan privat sampai impornya dibatalkan atau dibuang."),
        safeguards=_("Unduhan hanya lewat halaman yang memeriksa kantor; NIK disamarkan bagi yang tidak berwenang."),
    ),
    Activity(
        name=_("Padanan daftar instansi"),
        purpose=_("Mencocokkan daftar UMKM instansi lain dengan data terdaftar, agar satu UMKM tercatat sekali."),
        basis=_("Sama dengan pendataan UMKM; data dari instansi pemerintah lain."),
        subjects=_("Pemilik UMKM dalam daftar instansi."),
        data=_("Nama, NIK, nomor HP, desa, produk sebagaimana dalam daftar."),
        recipients=_("Petugas kantor yang memuat daftar."),
        retention=_("Selama daftarnya disimpan kantor."),
        safeguards=_("Daftar disimpan terpisah dari data UMKM; keputusan petugas dicatat."),
    ),
    Activity(
        name=_("Laporan dan data terbuka"),
        purpose=_("Laporan perkembangan UMKM dan statistik publik."),
        basis=_("Kewajiban pelaporan instansi pemerintah."),
        subjects=_("Pemilik UMKM (hanya sebagai jumlah)."),
        data=_("Jumlah per wilayah dan kategori; data terbuka menyembunyikan sel kurang dari lima UMKM."),
        recipients=_("Atasan dan publik (data terbuka)."),
        retention=_("Berkas laporan disimpan privat oleh kantor pembuatnya."),
        safeguards=_("Tidak memuat data pribadi."),
    ),
    Activity(
        name=_("Riwayat dan pengawasan"),
        purpose=_("Mencatat siapa mengubah, membuka NIK atau mengunduh data, untuk akuntabilitas."),
        basis=_("Kewajiban pengendali menjaga keamanan dan akuntabilitas (UU PDP Pasal 35–39)."),
        subjects=_("Pengguna Sentra dan pemilik UMKM."),
        data=_("Nama pengguna, waktu, alamat IP, nilai sebelum dan sesudah perubahan."),
        recipients=_("Admin kantor (untuk kantornya), superuser."),
        retention=lazy(_log_retention, str)(),
        safeguards=_("Hanya dibaca; NIK disamarkan di tampilan."),
    ),
)
