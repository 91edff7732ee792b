"""Which registry field each sheet column fills: the fields, their labels, and the user's corrections.

A mapping correction (from the preview, or a saved template) is keyed by the
column's normalized label, so it applies to every sheet whose header has that
label, wherever the column sits.
"""

from django.utils.translation import gettext_lazy as _

from sentra.imports.headers import SIDT_COLUMNS, Header, normalize_label

# The fields an import can fill, in the order the preview offers them.
FIELD_LABELS = {
    "owner_name": _("Nama pemilik"),
    "nik": _("NIK pemilik"),
    "sex": _("Jenis kelamin"),
    "birth_date": _("Tanggal lahir"),
    "phone": _("Nomor HP"),
    "business_name": _("Nama usaha"),
    "nib": _("NIB"),
    "legality": _("Legalitas (NIB, PIRT, Halal, BPOM)"),
    "legal_form": _("Bentuk badan usaha"),
    "activity": _("Kegiatan usaha"),
    "product": _("Produk utama"),
    "kbli": _("Kode KBLI"),
    "address": _("Alamat usaha"),
    "rt": _("RT"),
    "rw": _("RW"),
    "village": _("Desa/kelurahan"),
    "district": _("Kecamatan"),
    "capital": _("Modal"),
    "annual_turnover": _("Omzet tahunan"),
    "monthly_turnover": _("Omzet per bulan"),  # stored ×12 as the yearly turnover
    "workers_male": _("Tenaga kerja laki-laki"),
    "workers_female": _("Tenaga kerja perempuan"),
    "start_year": _("Tahun mulai usaha"),
    "start_month": _("Bulan mulai usaha"),
    "latitude": _("Lintang (latitude)"),
    "longitude": _("Bujur (longitude)"),
}
REQUIRED_FIELDS = ("owner_name", "business_name", "village")
SIDT_TEMPLATE_NAME = "SIDT Kementerian Koperasi dan UKM"


def sidt_mapping() -> dict[str, str]:
    """The shipped SIDT template: every SIDT column we read, and the rest explicitly ignored."""
    return {normalize_label(column): target for column, target in SIDT_COLUMNS.items()}


def apply_mapping(header: Header, corrections: dict[str, str]) -> None:
    """Overlay the user's corrections (normalized label → field, "" = ignore) on a found header.

    A field given to a column by a correction is taken from whichever column had it.
    """
    if not corrections:
        return
    mapping = dict(header.mapping)
    for index, label in enumerate(header.labels):
        key = normalize_label(label)
        if key not in corrections:
            continue
        target = corrections[key]
        mapping.pop(index, None)
        if target:
            for other, field in list(mapping.items()):
                if field == target:
                    del mapping[other]
            mapping[index] = target
    header.mapping = mapping


def mapping_rows(header: Header) -> list[dict]:
    """The header's columns for the preview: label, its normalized key and the field it fills."""
    return [
        {"index": index, "label": label, "key": normalize_label(label), "field": header.mapping.get(index, "")}
        for index, label in enumerate(header.labels)
        if str(label).strip()
    ]


# The headings of the empty layout offices can download: Indonesian whatever the UI language,
# each one a spelling the header finder knows (a test reads the layout back).
BLANK_LAYOUT = {
    "owner_name": "NAMA PEMILIK",
    "nik": "NIK",
    "sex": "JENIS KELAMIN",
    "birth_date": "TANGGAL LAHIR",
    "phone": "NO HP",
    "business_name": "NAMA USAHA",
    "nib": "NIB",
    "legality": "LEGALITAS USAHA",
    "legal_form": "BENTUK USAHA",
    "activity": "KEGIATAN USAHA",
    "product": "PRODUK UTAMA",
    "kbli": "KODE KBLI",
    "address": "ALAMAT USAHA",
    "rt": "RT",
    "rw": "RW",
    "village": "DESA/KELURAHAN",
    "district": "KECAMATAN",
    "capital": "MODAL USAHA",
    "annual_turnover": "OMZET TAHUNAN",
    "monthly_turnover": "OMZET PER BULAN",
    "workers_male": "TENAGA KERJA LAKI-LAKI",
    "workers_female": "TENAGA KERJA PEREMPUAN",
    "start_year": "TAHUN MULAI USAHA",
    "start_month": "BULAN MULAI USAHA",
    "latitude": "LATITUDE",
    "longitude": "LONGITUDE",
}
