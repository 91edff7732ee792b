"""The roles a column of an agency's list plays for the linkage engine, and their names on the page."""

from django.utils.translation import gettext_lazy

# The import's column fields and the linkage role each one plays.
ROLE_OF_FIELD = {
    "owner_name": "person_name",
    "business_name": "business_name",
    "nik": "identifier",
    "phone": "phone",
    "birth_date": "birth_date",
    "village": "area",
    "address": "address",
    "product": "text",
}
RECORD_FIELD_OF_ROLE = {
    "person_name": "person_name",
    "business_name": "business_name",
    "identifier": "nik",
    "phone": "phone",
    "birth_date": "birth_date",
    "area": "area",
    "address": "address",
    "text": "text",
}


# Labels agencies write that the import's header finder does not know (it reads the office's own
# sheets); read here only, for agency lists. Compared after `normalize_label`.
EXTRA_LABELS = {
    "telp": "phone",
    "tlp": "phone",
    "no tlp": "phone",
    "nomor telepon": "phone",
    "telp hp": "phone",
    "no telp hp": "phone",
    "hp wa": "phone",
    "no hp wa": "phone",
    "nomor hp wa": "phone",
    "handphone": "phone",
    "no handphone": "phone",
    "ponsel": "phone",
    "nik nib": "identifier",
    "no induk": "identifier",
}
NAME_ROLES = {"person_name", "business_name"}
# Roles an officer may give a column on the source page (the engine's, in the order shown).
ASSIGNABLE_ROLES = ("person_name", "business_name", "identifier", "phone", "birth_date", "area", "address", "text")

ROLE_LABELS = {
    "person_name": gettext_lazy("Nama pemilik"),
    "business_name": gettext_lazy("Nama usaha"),
    "identifier": gettext_lazy("NIK/NIB"),
    "phone": gettext_lazy("Nomor HP"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "area": gettext_lazy("Desa/kelurahan"),
    "address": gettext_lazy("Alamat"),
    "postcode": gettext_lazy("Kode pos"),
    "text": gettext_lazy("Produk/kegiatan"),
    "sex": gettext_lazy("Jenis kelamin (dari NIK)"),
}
