"""Which registry field each sheet column fills: the fields, their labels, and the user's corrections.

A mapping correction (from the preview, or a saved template) is keyed by the
column's normalized label, so it applies to every sheet whose header has that
label, wherever the column sits.
"""

from django.utils.translation import gettext_lazy as _

from sentra.imports.headers import JOIN, SIDT_COLUMNS, Header, normalize_label

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
    "monthly_turnover": _("Omzet per bulan (disimpan ×12)"),
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


def correction_keys(label: str) -> tuple[str, ...]:
    """The keys a correction may name a column by: its whole label, and the sub-column of a two-row one.

    On the command line the officer types the header as seen (`JALAN/DUSUN`), not as joined
    under its group (`ALAMAT › JALAN/DUSUN`).
    """
    whole = normalize_label(label)
    _parent, joined, child = str(label).rpartition(JOIN)
    return (whole, normalize_label(child)) if joined and normalize_label(child) else (whole,)


def apply_mapping(header: Header, corrections: dict[str, str]) -> None:
    """Overlay the user's corrections (normalized label → field, "" = ignore) on a found header.

    A field given to a column by a correction is taken from whichever column had it.
    """
    if not corrections:
        return
    mapping = dict(header.mapping)
    unlabeled = [index for key in corrections if (index := column_index(key)) is not None]
    width = max([len(header.labels), *(index + 1 for index in unlabeled)])
    for index in range(width):
        label = str(header.labels[index]).strip() if index < len(header.labels) else ""
        keys = correction_keys(label) if label else (unlabeled_key(index),)
        key = next((key for key in keys if key in corrections), None)
        if key is None:
            continue
        target = corrections[key]
        mapping.pop(index, None)
        header.proposals.pop(index, None)
        header.confidence[index] = 1.0  # the officer said so
        if target:
            for other, field in list(mapping.items()):
                if field == target:
                    del mapping[other]
            mapping[index] = target
    header.mapping = mapping
    taken = set(mapping.values())
    header.proposals = {
        index: match for index, match in header.proposals.items() if index not in mapping and match.field not in taken
    }


def mapping_rows(header: Header, rows: list[list[object]] | None = None) -> list[dict]:
    """The header's columns for the preview: label, its normalized key, the field it fills and how sure
    that is, a sample value from the rows below, and for a column that fills nothing a likely field.

    A column without a label but with values is listed too (as `kolom F`): nothing is dropped unseen.
    """
    width = len(header.labels)
    samples = column_samples(header, rows or [])
    width = max([width, *(index + 1 for index in samples)])
    listed = []
    for index in range(width):
        label = str(header.labels[index]).strip() if index < len(header.labels) else ""
        if not label and index not in samples:
            continue
        proposal = header.proposals.get(index)
        listed.append(
            {
                "index": index,
                "label": label or _("kolom %(letter)s tanpa judul") % {"letter": column_letter(index)},
                "key": normalize_label(label) if label else unlabeled_key(index),
                "field": header.mapping.get(index, ""),
                "confidence": header.confidence.get(index, 1.0) if index in header.mapping else None,
                "sample": samples.get(index, ""),
                "proposal": proposal.field if proposal else "",
                "proposal_confidence": proposal.confidence if proposal else None,
            }
        )
    return listed


SAMPLE_ROWS = 200  # rows looked through for a column's sample value


def column_samples(header: Header, rows: list[list[object]]) -> dict[int, str]:
    """The first filled value of each column under the header (of the first SAMPLE_ROWS rows)."""
    samples: dict[int, str] = {}
    for number in range(header.data_start, min(len(rows), header.data_start + SAMPLE_ROWS)):
        if number in header.skipped:
            continue
        for index, cell in enumerate(rows[number]):
            if isinstance(cell, float) and cell.is_integer():
                cell = int(cell)
            text = " ".join(str(cell if cell is not None else "").split())
            if text and index not in samples:
                samples[index] = text[:80]
    return samples


def ignored_columns(header: Header, rows: list[list[object]]) -> list[dict]:
    """The columns that fill no field, with a sample value and the field proposed for them, if any."""
    return [column for column in mapping_rows(header, rows) if not column["field"]]


def unlabeled_key(index: int) -> str:
    """The correction key of a column without a label: `kolom f`."""
    return f"kolom {column_letter(index).lower()}"


def column_index(key: str) -> int | None:
    """The column an unlabeled key names (`kolom f` → 5), or None for a label's key."""
    prefix, _space, letters = key.partition(" ")
    if prefix != "kolom" or not letters.isalpha() or len(letters) > 3:
        return None
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letter(index: int) -> str:
    """`0` → `A`, `27` → `AB`, as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


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
    "workers_male": "TENAGA KERJA LAKI-LAKI",
    "workers_female": "TENAGA KERJA PEREMPUAN",
    "start_year": "TAHUN MULAI USAHA",
    "start_month": "BULAN MULAI USAHA",
    "latitude": "LATITUDE",
    "longitude": "LONGITUDE",
}
