"""Cell values as offices type them, turned into registry values or a reason to reject the row.

Every function raises `django.core.exceptions.ValidationError` with an
Indonesian message that says what is wrong and how to fix it.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.placeholders import IN_PROGRESS_WORDS, placeholder_key, says_nothing
from sentra.core.validators import normalize_phone, validate_nik
from sentra.regions.models import District, Village
from sentra.regions.names import region_key

# Excel keeps 15 significant digits: a 16-digit NIK typed as a number loses its last digit.
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?e\+?\d+$", re.IGNORECASE)
NIK_AS_NUMBER = gettext_lazy(
    "NIK tersimpan sebagai angka di Excel, sehingga angka terakhirnya berubah menjadi 0 (%(value)s). "
    "Ubah format kolom NIK menjadi Teks, ketik ulang NIK dari KTP, lalu impor lagi baris ini."
)


class KnownDistricts:
    """Which NIK district prefixes are registered: every district's code, read once (7,000 of them), so
    a child process parsing rows needs no database (parsing.py)."""

    def __init__(self) -> None:
        self._known = {code.replace(".", "") for code in District.objects.values_list("code", flat=True)}

    def has(self, nik: str) -> bool:
        return nik[:6] in self._known


_TYPED_SEPARATORS = re.compile(r"[\s.\-/]")  # what `validate_nik` drops before counting digits
# How people keep Excel from turning a NIK into a number: `'3316…`, `="3316…"`, `=3316…`.
_TEXT_MARKS = re.compile(r"""^(?:['`‘’]+|=\s*["“”]?)|["“”]$""")


def nik_from_cell(value: object, known_districts: KnownDistricts | None = None) -> str | None:
    """The NIK in a cell, or None for an empty cell; never a NIK Excel has damaged.

    `known_districts` saves `validate_nik` its database query per NIK when an
    import checks thousands of them.
    """
    if value is None or is_placeholder(value):
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        digits = str(int(value))
        if len(digits) == 16 and digits.endswith("0"):
            raise ValidationError(NIK_AS_NUMBER % {"value": digits}, code="nik_as_number")
        text = digits
    else:
        text = _TEXT_MARKS.sub("", str(value).strip()).strip()
        if _SCIENTIFIC.match(text):
            raise ValidationError(NIK_AS_NUMBER % {"value": text}, code="nik_as_number")
    if known_districts is not None:
        nik = _TYPED_SEPARATORS.sub("", text)
        if len(nik) == 16 and nik.isdigit() and known_districts.has(nik):
            return validate_nik(nik, check_district=False)
    # Anything else gets the full check, which also words the reason.
    return validate_nik(text)


def is_placeholder(value: object) -> bool:
    """Whether an optional cell says nothing: blank, `-`, `.`, `?`, `0`, `belum ada`, `Proses`, `N/A`…

    Zero counts here (a phone, a NIB or a date of 0 is no value); columns where 0 is a real
    value (workers) do not ask.
    """
    if value.__class__ is str:  # most cells: straight to the remembered answer
        return says_nothing(value, zero_too=True)
    if value is None or isinstance(value, bool):
        return value is None
    if isinstance(value, int | float):
        return value == 0
    return says_nothing(str(value), zero_too=True)


def says_in_progress(value: object) -> bool:
    """`Proses`, `dalam proses`: the thing (a NIB) is being applied for."""
    return isinstance(value, str) and placeholder_key(value) in IN_PROGRESS_WORDS


# Tags around a phone number: `HP.`, `(WA)`, `Telp:`, `No. HP/WA`.
_PHONE_TAGS = re.compile(
    r"\(?\b(?:no|nomor|nomer|hp|wa|whatsapp|telp|tlp|telpon|telepon|tel|ponsel|mobile|rumah|kantor|fax|cp)\b\.?\)?:?",
    re.IGNORECASE,
)
_PHONE_SPLIT = re.compile(r"\s*(?:[/,;|&\n]|\batau\b|\bdan\b)\s*", re.IGNORECASE)


def phones_from_cell(value: object) -> tuple[str, list[str]]:
    """(the phone kept, the other numbers in the cell), in E.164; ("", []) for an empty cell.

    The first mobile is kept (it can be reached on WhatsApp), else the first landline.
    A phone typed as a number has lost its leading 0. Raises when no number is usable.
    """
    if value is None or is_placeholder(value):
        return "", []
    if isinstance(value, float | int) and not isinstance(value, bool):
        return normalize_phone(str(int(value))), []
    text = _PHONE_TAGS.sub(" ", str(value))
    pieces = [piece.strip(" -.:") for piece in _PHONE_SPLIT.split(text)]
    pieces = [piece for piece in pieces if any(c.isdigit() for c in piece)]
    if len(pieces) <= 1:
        return normalize_phone(pieces[0] if pieces else str(value)), []
    phones, first_error = [], None
    for piece in pieces:
        try:
            phones.append(normalize_phone(piece))
        except ValidationError as error:
            first_error = first_error or error
    if not phones:
        raise first_error or ValidationError(_("Nomor telepon tidak dikenali."), code="phone_invalid")
    kept = next((phone for phone in phones if phone.startswith("+628")), phones[0])
    return kept, [phone for phone in phones if phone != kept]


def phone_from_cell(value: object) -> str:
    """E.164, or "" for an empty cell: the phone `phones_from_cell` keeps."""
    return phones_from_cell(value)[0]


# Names typed in capitals, put in proper case. These keep their own spelling wherever they stand:
# business forms and groups, RT/RW, roman numerals.
_KEPT_WORDS = {
    word.upper(): word
    for word in (
        "CV", "UD", "PT", "KUD", "KSP", "KSU", "KSPPS", "BMT", "PO", "TB", "RM", "UMKM", "IKM", "KWT", "KUB",
        "PKK", "BUMDes", "BUMDesa", "Tbk", "RT", "RW", "PIRT", "SPP-IRT", "II", "III", "IV", "VI", "VII",
        "VIII", "IX", "XI", "XII", "SMA", "SMK", "SD", "SMP", "MTs", "MI", "MA", "TK",
    )
}  # fmt: skip
_LOWER_WORDS = {"bin", "binti", "bt", "dan", "van", "de", "der"}  # inside a name, never first
_DEGREE_PARTS = {"IP", "TP", "KM", "KG", "KH"}  # S.IP, S.TP, S.KM stay in capitals after the dot


def proper_case(text: str) -> str:
    """`HJ. SITI AMINAH, S.PD.` → `Hj. Siti Aminah, S.Pd.`; text with any lowercase letter is kept as typed.

    Titles and degrees (H., Hj., Dr., S.E., M.Si), business forms (CV, UD, PT, KUD), RT/RW and
    particles (bin, binti) come out as Indonesians write them.
    """
    if not any(c.isalpha() for c in text) or text != text.upper():
        return text
    words = text.split(" ")
    after_comma = False
    for index, word in enumerate(words):
        words[index] = _proper_word(word, first=index == 0, after_comma=after_comma)
        after_comma = after_comma or word.endswith(",")
    return " ".join(words)


def _proper_word(word: str, *, first: bool, after_comma: bool) -> str:
    if any(c.isdigit() for c in word):
        return word  # RT.02, 88, No.3: as typed
    if "/" in word:
        return "/".join(_proper_word(part, first=first, after_comma=after_comma) for part in word.split("/"))
    lead = len(word) - len(word.lstrip("(\"'“"))
    trail = len(word.rstrip(".,;:)\"'”"))
    prefix, core, suffix = word[:lead], word[lead:trail], word[trail:]
    if not core:
        return word
    if core in _KEPT_WORDS:
        return prefix + _KEPT_WORDS[core] + suffix
    if not first and core.lower() in _LOWER_WORDS:
        return prefix + core.lower() + suffix
    if after_comma and len(core) <= 3 and "." not in core:
        return word  # a degree typed without dots after the name: SE, MM, SH
    if "." in core:  # S.PD.I, H.ABDUL, M.SI: each part after a dot starts again
        parts = core.split(".")
        core = ".".join(part if part in _DEGREE_PARTS else _capitalized(part) for part in parts)
        return prefix + core + suffix
    return prefix + _capitalized(core) + suffix


def _capitalized(word: str) -> str:
    """`SRI-REJEKI` → `Sri-Rejeki`, `NUR'AINI` → `Nur'aini`."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class RegionMatcher:
    """Matches district and village names to Kemendagri codes inside one regency.

    A file names the same few hundred places over and over, so each distinct
    spelling is looked up once and its answer (or its reason) remembered.
    """

    regency_code: str

    def __post_init__(self) -> None:
        self.answers: dict[tuple, tuple[object, str, str]] = {}  # (kind, spelling, district) → (region, message, code)
        self.known_districts = KnownDistricts()  # for the NIKs of the same file
        self.districts: dict[str, list[District]] = {}
        for district in District.objects.filter(regency_id=self.regency_code):
            self.districts.setdefault(region_key(district.name), []).append(district)
        self.villages: dict[str, list[Village]] = {}
        for village in Village.objects.filter(district__regency_id=self.regency_code).select_related("district"):
            self.villages.setdefault(region_key(village.name), []).append(village)

    def district(self, name: object) -> District:
        return self._remembered("district", name, None)

    def village(self, name: object, district: District | None = None) -> Village:
        """The village named so, inside `district` when the sheet gave one."""
        return self._remembered("village", name, district)

    def _remembered(self, kind: str, name: object, district: District | None):
        key = (kind, type(name), name, None if district is None else district.code)
        try:
            answer = self.answers.get(key)
        except TypeError:  # an unhashable cell: nothing to remember it by
            key, answer = None, None
        if answer is None:
            try:
                if kind == "district":
                    found = self._lookup(self.districts, name, _("kecamatan"))[0]
                elif kind == "in_text":
                    found = self._one_village_in(name, district)
                else:
                    found = self._lookup(self.villages, name, _("desa/kelurahan"), district)[0]
            except ValidationError as error:
                answer = (None, error.messages[0], error.code)
            else:
                answer = (found, "", "")
            if key is not None:
                self.answers[key] = answer
        found, message, code = answer
        if found is None:
            raise ValidationError(message, code=code)
        return found

    def _lookup(self, table: dict, name: object, label: str, district: District | None = None) -> list:
        key = region_key(name)
        if not key:
            raise ValidationError(_("Nama %(label)s kosong.") % {"label": label}, code="region_empty")

        def within(candidates: list) -> list:
            if district is None:
                return candidates
            return [c for c in candidates if getattr(c, "district_id", None) == district.code]

        exact = within(table.get(key, []))
        if len(exact) == 1:
            return exact
        if len(exact) > 1:
            raise ValidationError(
                _("Ada %(count)s %(label)s bernama %(name)s di kabupaten ini; isi juga kecamatannya: %(candidates)s")
                % {"count": len(exact), "label": label, "name": name, "candidates": _describe_all(exact)},
                code="region_ambiguous",
            )
        # An abbreviation (`Gd. Tataan` for Gedong Tataan): accepted when it fits one name only.
        short = [c for spelling in table if _abbreviates(key, spelling) for c in within(table[spelling])]
        if len(short) == 1:
            return short
        # A typo: accept the closest spelling only when it is the only close one.
        close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.85)
        candidates = [c for spelling in close for c in within(table[spelling])]
        if len(candidates) == 1:
            return candidates
        if candidates:
            raise ValidationError(
                _("%(label)s %(name)s tidak ditemukan persis; mungkin maksudnya: %(candidates)s")
                % {"label": capfirst(label), "name": name, "candidates": _describe_all(candidates)},
                code="region_ambiguous",
            )
        raise ValidationError(
            _("%(label)s %(name)s tidak ada di kabupaten ini.") % {"label": capfirst(label), "name": name},
            code="region_unknown",
        )

    def village_in_text(self, text: object, district: District | None = None) -> Village:
        """The one village a free-text address names (`Dusun II RT 003/RW 001 Desa Bangkleyan Kec. Jati`).

        Names after Desa/Kel. win over names found elsewhere; names after Dusun, Jl., Kec. or Kab. are
        not villages. Raises when no village, or more than one, is named.
        """
        return self._remembered("in_text", text, district)

    def _one_village_in(self, text: object, district: District | None) -> Village:
        found = self._villages_named_in(str(text or ""), district)
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(
                _("Alamat %(text)s menyebut lebih dari satu desa/kelurahan: %(candidates)s")
                % {"text": text, "candidates": _describe_all(found)},
                code="region_ambiguous",
            )
        raise ValidationError(_("Tidak ada nama desa/kelurahan di alamat."), code="region_unknown")

    def _villages_named_in(self, text: str, district: District | None) -> list[Village]:
        words = _WORD.findall(text.lower())
        marked: list[Village] = []
        elsewhere: list[Village] = []
        index = 0
        while index < len(words):
            before = words[index - 1] if index else ""
            for length in range(min(_LONGEST_VILLAGE_NAME, len(words) - index), 0, -1):
                candidates = self.villages.get(" ".join(words[index : index + length]), [])
                if district is not None:
                    candidates = [v for v in candidates if v.district_id == district.code]
                if candidates:
                    if before not in _NOT_VILLAGE_MARKS:
                        (marked if before in _VILLAGE_MARKS else elsewhere).extend(candidates)
                    index += length - 1
                    break
            index += 1
        chosen = marked or elsewhere
        return list({village.code: village for village in chosen}.values())


_LONGEST_VILLAGE_NAME = 4  # words
_VILLAGE_MARKS = {"desa", "ds", "kelurahan", "kel", "kampung", "kp", "gampong", "nagari", "pekon", "tiyuh"}
_NOT_VILLAGE_MARKS = {
    "dusun",
    "dsn",
    "dukuh",
    "jl",
    "jln",
    "jalan",
    "gang",
    "gg",
    "kec",
    "kecamatan",
    "kab",
    "kabupaten",
}


def _abbreviates(typed: str, name: str) -> bool:
    """Whether `gd tataan` shortens `gedong tataan`: as many words, each the same or a short word of its
    letters in order (a letter missing from a long word is a typo, left to the close-spelling match)."""
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) != len(name_words) or typed_words == name_words:
        return False
    return all(
        t == n or (len(t) <= max(3, len(n) // 2) and t[0] == n[0] and _in_order(t, n))
        for t, n in zip(typed_words, name_words, strict=True)
    )


def _in_order(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(letter in rest for letter in letters)


def _describe_all(regions: list) -> str:
    return ", ".join(
        _("%(name)s (Kec. %(district)s, kode %(code)s)") % {"name": r.name, "district": r.district.name, "code": r.code}
        if isinstance(r, Village)
        else _("%(name)s (kode %(code)s)") % {"name": r.name, "code": r.code}
        for r in regions
    )
