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

from sentra.core.validators import normalize_phone, validate_nik
from sentra.regions.models import District, Village

# Excel keeps 15 significant digits: a 16-digit NIK typed as a number loses its last digit.
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?e\+?\d+$", re.IGNORECASE)
NIK_AS_NUMBER = gettext_lazy(
    "NIK tersimpan sebagai angka di Excel, sehingga angka terakhirnya berubah menjadi 0 (%(value)s). "
    "Ubah format kolom NIK menjadi Teks, ketik ulang NIK dari KTP, lalu impor lagi baris ini."
)


class KnownDistricts:
    """Which NIK district prefixes are registered, asked of the database once per prefix."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}

    def has(self, nik: str) -> bool:
        prefix = nik[:6]
        known = self._known.get(prefix)
        if known is None:
            code = f"{prefix[0:2]}.{prefix[2:4]}.{prefix[4:6]}"
            known = self._known[prefix] = District.objects.filter(code=code).exists()
        return known


_TYPED_SEPARATORS = re.compile(r"[\s.\-/]")  # what `validate_nik` drops before counting digits


def nik_from_cell(value: object, known_districts: KnownDistricts | None = None) -> str | None:
    """The NIK in a cell, or None for an empty cell; never a NIK Excel has damaged.

    `known_districts` saves `validate_nik` its database query per NIK when an
    import checks thousands of them.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        digits = str(int(value))
        if len(digits) == 16 and digits.endswith("0"):
            raise ValidationError(NIK_AS_NUMBER % {"value": digits}, code="nik_as_number")
        text = digits
    else:
        text = str(value).strip()
        if _SCIENTIFIC.match(text):
            raise ValidationError(NIK_AS_NUMBER % {"value": text}, code="nik_as_number")
    if known_districts is not None:
        nik = _TYPED_SEPARATORS.sub("", text)
        if len(nik) == 16 and nik.isdigit() and known_districts.has(nik):
            return validate_nik(nik, check_district=False)
    # Anything else gets the full check, which also words the reason.
    return validate_nik(text)


def phone_from_cell(value: object) -> str:
    """E.164, or "" for an empty cell. A phone typed as a number has lost its leading 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = str(int(value))
    return normalize_phone(str(value))


_WORD = re.compile(r"[a-z0-9]+")
_PREFIXES = re.compile(
    r"^(?:desa|ds|kelurahan|kel|kampung|kamp|kp|dusun|dsn|kecamatan|kec|gampong|nagari|pekon|tiyuh)\b\.?\s*",
    re.IGNORECASE,
)


def region_key(name: object) -> str:
    """`Ds. Bangkleyan`, `DESA  BANGKLEYAN` → `bangkleyan`: what names are compared by."""
    text = " ".join(str(name or "").split())
    previous = None
    while previous != text:  # "Kel. Desa X" happens
        previous, text = text, _PREFIXES.sub("", text).strip()
    return " ".join(_WORD.findall(text.lower()))


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


def _describe_all(regions: list) -> str:
    return ", ".join(
        _("%(name)s (Kec. %(district)s, kode %(code)s)") % {"name": r.name, "district": r.district.name, "code": r.code}
        if isinstance(r, Village)
        else _("%(name)s (kode %(code)s)") % {"name": r.name, "code": r.code}
        for r in regions
    )
