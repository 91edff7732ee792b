"""Indonesian names, phones, NIKs, dates and places reduced to what record linkage compares.

Every function here is pure: it takes one cell as an office typed it and
returns the normal form, or None when nothing usable is left. The same
person is written `Hj. Siti Aminah, S.Pd.`, `IBU SITI AMINAH` and `Siti
Aminah`; the same business `UD. Sumber Redjeki` and `Toko Sumber Rejeki`; the
same village `Ds. Tjepu` and `Cepu`. After normalising, each pair is equal or
nearly so, and the linkage engine's string comparisons do the rest.

`normalise_records(rows, roles)` applies them to a whole table and adds the
keys the engine blocks and compares on (see `engine.py`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache

import pandas as pd
from django.core.exceptions import ValidationError

from sentra.core.placeholders import says_nothing
from sentra.core.validators import nik_birth_date, normalize_phone
from sentra.regions.names import region_key

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")


def is_placeholder(value: object) -> bool:
    """Whether a cell says "nothing" (`-`, `belum ada`, `tidak ada`, …), as an import reads it."""
    return isinstance(value, str) and says_nothing(value)


def _plain(value: object) -> str:
    """Lowercase ASCII text of a cell, accents dropped (`Sé` → `se`); "" for empty or NaN cells and placeholders."""
    if value is None or value is pd.NA or value is pd.NaT:  # pandas' missing values, whatever the dtype
        return ""
    if isinstance(value, float):
        if value != value:  # NaN, as pandas gives empty cells
            return ""
        if value.is_integer():
            value = int(value)
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    return "" if says_nothing(text) else text


def _words(text: str) -> list[str]:
    return [w for w in _NOT_WORD.split(text) if w]


# --- spelling ---------------------------------------------------------------------

# Van Ophuijsen / Soewandi spelling (before 1972) → EYD. Only the unambiguous
# ones: old `j` is new `y`, but new `j` is also common, so `j` is left alone.
_OLD_SPELLING = (
    (re.compile(r"oe"), "u"),  # Soekarno → Sukarno
    (re.compile(r"dj"), "j"),  # Djoko → Joko
    (re.compile(r"tj"), "c"),  # Tjepu → Cepu
    (re.compile(r"sj"), "sy"),  # Sjamsul → Syamsul
    (re.compile(r"\bnj"), "ny"),  # Njoman → Nyoman; inside words new `nj` (Banjar) is common
    (re.compile(r"ch"), "kh"),  # Chairul → Khairul (old `ch` is new `kh`)
)


@lru_cache(maxsize=100_000)  # pure, and asked of every word of every name: names repeat their words
def modern_spelling(text: str) -> str:
    """Old Indonesian spelling turned into today's: `soedjatmiko` → `sujatmiko`, `tjepu` → `cepu`.

    Expects lowercase text. `ch` becomes `kh` (Chairul/Khairul); both lists go
    through the same change, so a name spelt with `ch` today still matches itself.
    """
    for pattern, replacement in _OLD_SPELLING:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=100_000)
def phonetic_word(word: str) -> str:
    """A word folded to how it sounds: `khairul`/`hairul`, `rizki`/`riski`, `surya`/`suria`, `muhammad`/`muhamad`.

    Used for keys, not for display: `kh`→`h`, `dh`→`d`, `th`→`t`, `ph`/`v`→`f`,
    `z`→`s`, `q`→`k`, `x`→`ks`, `y`→`i`, doubled letters single.
    """
    for old, new in (("kh", "h"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("v", "f"), ("z", "s"), ("q", "k")):
        word = word.replace(old, new)
    word = word.replace("x", "ks").replace("y", "i")
    return _DOUBLED.sub(r"\1", word)


def consonant_skeleton(word: str) -> str:
    """First letter and the consonants after it, of the phonetic word: `rahmat`/`rohmat` → `rhmt`.

    Javanese names vary their vowels (Slamet/Selamet, Sutrisno/Sutrisna), so
    blocking keys keep only this skeleton.
    """
    folded = phonetic_word(word)
    if not folded:
        return ""
    return folded[0] + re.sub(r"[aiueo]", "", folded[1:])


def sorted_key(words: Iterable[str]) -> str | None:
    """Words folded phonetically, sorted and joined: the same name whatever the word order."""
    folded = sorted(phonetic_word(w) for w in words if w)
    return " ".join(folded) or None


def skeleton_key(words: Iterable[str]) -> str | None:
    """Consonant skeletons of the words, sorted and joined: a coarse blocking key."""
    skeletons = sorted(consonant_skeleton(w) for w in words if w)
    return " ".join(skeletons) or None


# --- person names -----------------------------------------------------------------

# Titles and forms of address written before a name, wherever they stand
# (dots removed: `Hj.` → `hj`, `Bpk.` → `bpk`).
HONORIFICS = frozenset(
    {
        "bapak", "bpk", "bp", "pak", "ibu", "bu", "ny", "nyonya", "nona", "nn", "tn", "tuan", "sdr", "sdri",
        "saudara", "saudari", "mbak", "mba", "hj", "hajjah", "hajah", "haji", "kh", "kyai", "kiai", "ust", "ustad",
        "ustadz", "ustaz", "ustadzah", "ustazah", "tgk", "teungku", "dr", "drs", "dra", "ir", "prof", "alm", "almh",
        "almarhum", "almarhumah", "bunda",
    }
)  # fmt: skip
# Academic degrees written after a name (dots and spaces inside removed: `S.Pd.I` → `spdi`).
DEGREES = frozenset(
    {
        "spd", "spdi", "spdsd", "se", "sei", "sh", "shi", "skom", "ssos", "sag", "st", "sp", "ssi", "skep", "sked",
        "sfarm", "sip", "shut", "spt", "spsi", "sak", "str", "sap", "skes", "skm", "sgz", "sikom", "ss", "sth", "ssy",
        "sthi", "sstat", "sds", "ssn", "sars", "stp", "spi", "sos", "mpd", "mpdi", "msi", "mm", "mkes", "mag", "mt",
        "mh", "msc", "ma", "mba", "mkom", "mhum", "mse", "mak", "mkn", "mikom", "amd", "ama", "amdkeb", "amdkep",
        "amdkes", "amdfarm", "amdak", "amdpar", "amdkom", "amdgz", "lc", "bsc", "ba", "phd", "mph", "apt",
        "ners", "spog", "spa", "sppd",
    }
)  # fmt: skip
# Every spelling of Muhammad, and its abbreviations, as officers write them.
MUHAMMAD = frozenset(
    {
        "muhammad", "muhamad", "muhammat", "muhamat", "mohammad", "mohamad", "mohammed", "mohamed", "muhammed",
        "muhamed", "mochammad", "mochamad", "mokhammad", "mokhamad", "muchammad", "muchamad", "mukhammad",
        "mukhamad", "mohd", "moh", "moch", "mokh", "muh", "much", "mukh", "mhd", "mhmd", "muhd", "mch", "md",
    }
)  # fmt: skip
_DEGREE_PARTS = re.compile(
    # `S. Pd`, `A. Md.`, `M. Kes` typed with a space after the dot: glue them so they read as one degree.
    r"\b([sam])\.\s+(pd|e|h|kom|sos|ag|t|p|si|kep|ked|md|ma|m|sc|kes|hum|ip|ak|psi|farm|pt|hut)\b"
)


def _name_tokens(text: str) -> list[str]:
    """Tokens of a name with dots inside abbreviations removed (`S.Pd.I` → `spdi`, `M.` → `m`)."""
    text = _DEGREE_PARTS.sub(r"\1\2", text)
    tokens = []
    for raw in re.split(r"[\s,;/()\[\]\"'`]+", text):
        token = raw.replace(".", "").replace("-", "")
        token = _NOT_WORD.sub("", token)
        if token:
            tokens.append(token)
    return tokens


def person_name_words(value: object) -> list[str]:
    """The words of a person's name without titles, degrees or old spelling.

    `Hj. Siti Aminah, S.Pd.` → `[siti, aminah]`; `Drs. H. Moh. Yusuf` →
    `[muhammad, yusuf]`; `Bpk. Soedjatmiko` → `[sujatmiko]`. Honorifics and
    `Dr./Ir./Drs.` go wherever they stand; degrees (S.Pd., S.E., A.Md., …) go
    once a name word has been seen; a lone `H`/`M` is Haji/Muhammad only before
    the name (`Budi H.` keeps its initial).
    """
    tokens = _name_tokens(_plain(value))
    words: list[str] = []
    for position, token in enumerate(tokens):
        if token in HONORIFICS:
            continue
        if words and token in DEGREES:
            continue
        if not words and token == "h":  # H. before the name is Haji
            continue
        if not words and token == "m" and position + 1 < len(tokens):  # M. Yusuf
            words.append("muhammad")
            continue
        if token in MUHAMMAD and (token not in {"md", "mch"} or not words):
            words.append("muhammad")
            continue
        words.append(modern_spelling(token))
    return words


def person_name(value: object) -> str | None:
    """A person's name as compared: lowercase words, no titles, degrees, punctuation or old spelling."""
    return " ".join(person_name_words(value)) or None


# --- business names ---------------------------------------------------------------

# Legal forms go wherever they stand: `UD Sumber Rejeki` = `Sumber Rejeki, UD`.
LEGAL_FORMS = frozenset({"ud", "cv", "pt", "pd", "tbk", "persero", "fa", "firma"})
# Generic words that start a business name and name no product: they go only at the start.
LEADING_WORDS = (
    "kelompok usaha bersama",
    "kelompok wanita tani",
    "kelompok tani",
    "kelompok wanita",
    "gapoktan",
    "poktan",
    "wanita tani",
    "industri rumah tangga",
    "home industry",
    "home industri",
    "kelompok",
    "kel",
    "klp",
    "kub",
    "kwt",
    "irt",
    "pirt",
    "ukm",
    "umkm",
    "usaha",
    "toko",
    "tk",
    "warung",
    "kedai",
    "kios",
)
_LEADING = re.compile(r"^(?:" + "|".join(re.escape(w) for w in LEADING_WORDS) + r")\b\s*")


def business_name_words(value: object) -> list[str]:
    """The words of a business name without its legal form, shop word or honorifics.

    `UD. Sumber Redjeki` and `Toko Sumber Rejeki` → `[sumber, rejeki]`;
    `Keripik Tempe Bu Sri` → `[keripik, tempe, sri]`. Product words stay:
    they tell two businesses of one owner apart.
    """
    tokens = [t for t in _name_tokens(_plain(value)) if t not in LEGAL_FORMS]
    text = " ".join(tokens)
    previous = None
    while previous != text:  # "Kelompok Usaha Toko ..." happens
        previous, text = text, _LEADING.sub("", text)
    words = []
    for token in text.split():
        if token in HONORIFICS or (token == "h" and not words):
            continue
        words.append(PRODUCT_SPELLINGS.get(token, modern_spelling(token)))
    return words


def business_name(value: object) -> str | None:
    """A business name as compared: `U.D. SUMBER REDJEKI` → `sumber rejeki`."""
    return " ".join(business_name_words(value)) or None


# --- product words ----------------------------------------------------------------

# Spellings of the same product people use side by side.
PRODUCT_SPELLINGS = {
    "kripik": "keripik",
    "kripek": "keripik",
    "krupuk": "kerupuk",
    "kerupu": "kerupuk",
    "sambel": "sambal",
    "baso": "bakso",
    "tahoe": "tahu",
    "tempeh": "tempe",
    "kue": "kue",
    "kueh": "kue",
    "roti2": "roti",
    "jamu2": "jamu",
    "cemilan": "camilan",
    "snack": "camilan",
    "jahitan": "jahit",
    "penjahit": "jahit",
    "konveksi": "konfeksi",
    "mebel": "mebel",
    "meubel": "mebel",
    "meubelair": "mebel",
    "furniture": "mebel",
    "batik2": "batik",
}
# Words that say nothing about what a business makes or sells.
PRODUCT_STOPWORDS = frozenset(
    {
        "dan", "atau", "yang", "di", "ke", "dari", "untuk", "dengan", "serta", "aneka", "macam", "berbagai", "produk",
        "produksi", "olahan", "usaha", "jual", "menjual", "penjualan", "jualan", "dagang", "perdagangan", "jasa",
        "bahan", "hasil", "lain", "lainnya", "dll", "dsb", "the", "and", "of", "rumah", "tangga", "home", "made",
        "industri", "kecil", "mikro", "menengah", "umkm", "ukm", "kelompok", "bersama", "per", "pcs", "kg", "gram",
        "gr", "ons", "ml", "liter", "ltr", "bungkus", "bks",
    }
)  # fmt: skip


_NOT_PRODUCTS = LEGAL_FORMS | HONORIFICS | {word for word in LEADING_WORDS if " " not in word}


def product_words(value: object) -> frozenset[str]:
    """Content words of a product or business description: `Aneka Kripik & Sambel` → {keripik, sambal}.

    Stopwords, numbers and one-letter words go; known spelling variants
    become one word.
    """
    words = set()
    for word in _words(modern_spelling(_plain(value))):
        word = PRODUCT_SPELLINGS.get(word, word)
        if len(word) < 2 or word.isdigit() or word in PRODUCT_STOPWORDS or word in _NOT_PRODUCTS:
            continue
        words.add(word)
    return frozenset(words)


# --- identifiers, phones, dates, places ---------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?e\+?\d+$")


def _digits(value: object) -> str:
    if isinstance(value, float) and value == value and value.is_integer():
        value = int(value)
    return re.sub(r"[\s.\-/]", "", str(value if value is not None else "").strip())


def nik(value: object) -> str | None:
    """A 16-digit NIK whose birth date and serial are possible, or None.

    Checks what the number itself says (province 11–94, a real birth date,
    serial not 0000), not whether its district exists: that needs the
    database and the engine works on files. A NIK Excel turned into
    `3.31601E+15` has lost digits and is None.
    """
    text = _plain(value)
    if not text or _SCIENTIFIC.match(text):
        return None
    digits = _digits(text)
    if len(digits) != 16 or not digits.isdigit():
        return None
    if not 11 <= int(digits[:2]) <= 94 or digits[12:] == "0000":
        return None
    try:
        nik_birth_date(digits)
    except ValueError:
        return None
    return digits


def nik_birth_date_and_sex(value: object) -> tuple[dt.date, str] | None:
    """The birth date and sex (`L`/`P`) encoded in a NIK, or None when it is not a NIK."""
    number = nik(value)
    return nik_birth_date(number) if number else None


def identifier(value: object) -> str | None:
    """An identifier as compared: a valid NIK, a 13-digit NIB, or other codes in uppercase letters and digits.

    A 16-digit number that cannot be a NIK is None, so that a mistyped NIK
    never links two people; other codes need at least 5 characters.
    """
    text = _plain(value)
    if not text or _SCIENTIFIC.match(text):
        return None
    digits = _digits(text)
    if digits.isdigit():
        if len(digits) == 16:
            return nik(digits)
        if len(digits) == 13:
            return digits  # NIB
    code = _NOT_WORD.sub("", text).upper()
    if len(code) < 5 or set(code) == {"0"}:
        return None
    return code


_PHONE_LABEL = re.compile(r"^(?:hp|wa|telp|tlp|tel|no|nomor|phone|hp/wa|wa/hp)\b[.:\s]*", re.IGNORECASE)


def phone(value: object) -> str | None:
    """A phone number in E.164 (`+6281234567890`), or None. The first of several numbers is taken.

    Accepts what `sentra.core.validators.normalize_phone` accepts, plus a
    label (`HP: 0812…`, `WA 0812…`), several numbers separated by `/`, `,` or
    `;`, and numbers Excel kept as numbers (`81234567890.0`, leading 0 lost).
    """
    if value is None or isinstance(value, float) and value != value:
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = str(int(value))
    for part in re.split(r"[,;]|\s/\s|/(?=\s*(?:\+|0|62))|\bdan\b|\batau\b", str(value)):
        text = _PHONE_LABEL.sub("", part.strip()).strip()
        if not text:
            continue
        try:
            return normalize_phone(text)
        except ValidationError:
            continue
    return None


_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "peb": 2, "februari": 2, "pebruari": 2, "february": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "agu": 8, "ags": 8, "agt": 8, "agus": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oct": 10, "oktober": 10, "october": 10, "nov": 11,
    "nop": 11, "november": 11, "nopember": 11, "des": 12, "dec": 12, "desember": 12, "december": 12,
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})[-/.\s](\d{1,2})[-/.\s](\d{1,2})(?:[ t].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.\s](\d{1,2})[-/.\s](\d{2}|\d{4})(?:[ t]\d.*)?$")
_WORDED = re.compile(r"^(\d{1,2})[-\s.]*([a-z]+)[-\s.,]*(\d{2}|\d{4})$")
_MONTH_WORD_FIRST = re.compile(r"^([a-z]+)[-\s.]*(\d{1,2})(?:st|nd|rd|th)?[-\s.,]*(\d{4})$")
_YEAR_WORD = re.compile(r"^(\d{4})[-\s.]*([a-z]+)[-\s.]*(\d{1,2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EARLIEST_YEAR, _LATEST_YEAR = 1800, 2200


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # a two-digit year is in the last hundred years
        year += 2000 if 2000 + year <= dt.date.today().year else 1900
    return year


def _date(year: int, month: int, day: int) -> str | None:
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _compact_date(digits: str) -> str | None:
    """Eight digits as `YYYYMMDD` (`19560409`), else as `DDMMYYYY` (`09041956`)."""
    return _date(int(digits[:4]), int(digits[4:6]), int(digits[6:])) or _date(
        int(digits[4:]), int(digits[2:4]), int(digits[:2])
    )


def birth_date(value: object) -> str | None:
    """A date as ISO text (`1980-01-12`), or None. Day comes before month, as Indonesians write it.

    Accepts `12-01-1980`, `12/1/80`, `12.01.1980`, `1980-01-12`, `1980/1/12`,
    `19800112` and `12011980`, `12 Januari 1980`, `12 Jan 1980`, `12-Peb-1980`,
    `January 12, 1980`, `1980 Jan 12`, Python dates, and Excel day numbers (up
    to five digits). A month-first date reads as one only when its day-first
    reading is impossible (`01/25/1980`).
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or value < 1:
            return None
        if value < 80000:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        number = int(value)
        return _compact_date(str(number)) if value == number and len(str(number)) == 8 else None
    text = _plain(value)
    if not text:
        return None
    if match := _ISO.match(text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_FIRST.match(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        return _date(year, second, first) or (_date(year, first, second) if second > 12 else None)
    if (match := _WORDED.match(text)) and match[2] in _MONTHS:
        return _date(_year(match[3]), _MONTHS[match[2]], int(match[1]))
    if (match := _MONTH_WORD_FIRST.match(text)) and match[1] in _MONTHS:
        return _date(int(match[3]), _MONTHS[match[1]], int(match[2]))
    if (match := _YEAR_WORD.match(text)) and match[2] in _MONTHS:
        return _date(int(match[1]), _MONTHS[match[2]], int(match[3]))
    if text.isdigit():
        if len(text) == 8:
            return _compact_date(text)
        if len(text) <= 5:
            return birth_date(int(text))
    return None


def area(value: object) -> str | None:
    """A village or area name as compared: `Ds. Tjepu` → `cepu`, `KEL. SUKA MAJU` → `suka maju`.

    Strips the prefixes `sentra.regions.names.region_key` knows (Desa, Ds.,
    Kel., Kelurahan, Kampung, Dusun, Gampong, Nagari, …) and modernises old spelling.
    """
    key = region_key(_plain(value))
    return modern_spelling(key) or None


_ADDRESS_WORDS = {
    "jl": "jalan", "jln": "jalan", "gg": "gang", "kp": "kampung", "kamp": "kampung", "ds": "desa", "dsn": "dusun",
    "kel": "kelurahan", "kec": "kecamatan", "kab": "kabupaten", "komp": "komplek", "kompleks": "komplek",
    "perum": "perumahan", "blk": "blok", "no": "", "nomor": "", "nmr": "",
}  # fmt: skip


def address(value: object) -> str | None:
    """A street address as compared: `Jl. Merdeka No. 5 RT 001/RW 002` → `jalan merdeka 5 rt 1 rw 2`.

    Abbreviations are written out, RT/RW numbers lose their leading zeros,
    punctuation and old spelling go.
    """
    text = modern_spelling(_plain(value))
    text = re.sub(r"\b(rt|rw)\s*[.:]?\s*0*(\d+)", r" \1 \2 ", text)
    text = re.sub(r"\b0+(\d)", r"\1", text)
    words = [_ADDRESS_WORDS.get(w, w) for w in _words(text)]
    return " ".join(w for w in words if w) or None


def postcode(value: object) -> str | None:
    """A postcode of any country as compared: its letters and digits in capitals, or None.

    `58315` and `58 315` → `58315` (Indonesia), `2119` (Australia), `SW1A 1AA` →
    `SW1A1AA`, `1234 AB` → `1234AB`. It needs 3 to 10 of them, a digit among
    them, and not only zeros.
    """
    code = _NOT_WORD.sub("", _digits(_plain(value))).upper()
    if not 3 <= len(code) <= 10 or not any(c.isdigit() for c in code) or set(code) == {"0"}:
        return None
    return code


def free_text(value: object) -> str | None:
    """Free text (products, notes) as its sorted content words, or None when it has none."""
    return " ".join(sorted(product_words(value))) or None


# --- whole tables ---------------------------------------------------------------------

_IDENTITY = {
    "person_name": lambda v: _plain(v) or None,
    "business_name": lambda v: _plain(v) or None,
    "birth_date": lambda v: _plain(v) or None,
    "identifier": lambda v: _plain(v) or None,
    "phone": lambda v: _plain(v) or None,
    "address": lambda v: _plain(v) or None,
    "area": lambda v: _plain(v) or None,
    "postcode": lambda v: _plain(v) or None,
    "text": lambda v: " ".join(sorted(set(_words(_plain(v))))) or None,
}
NORMALISERS: dict[str, Callable[[object], str | None]] = {
    "person_name": person_name,
    "business_name": business_name,
    "birth_date": birth_date,
    "identifier": identifier,
    "phone": phone,
    "address": address,
    "area": area,
    "postcode": postcode,
    "text": free_text,
}


def _mapped(values: list[object], function: Callable[[object], str | None]) -> list[str | None]:
    """`function` over a column, computed once per distinct value: names and villages repeat a lot."""
    seen: dict[object, str | None] = {}
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            value = None  # every NaN is its own object: one key for all empty cells
        try:
            result = seen[value]
        except KeyError:
            result = seen[value] = function(value)
        except TypeError:  # unhashable cell
            result = function(value)
        out.append(result)
    return out


def _first(words: str | None) -> str | None:
    return consonant_skeleton(words.split()[0]) if words else None


def _last(words: str | None) -> str | None:
    return consonant_skeleton(words.split()[-1]) if words else None


def _joined(words: str | None, key: Callable[[Iterable[str]], str | None]) -> str | None:
    return key(words.split()) if words else None


def normalise_records(
    rows: Iterable[Mapping[str, object]],
    roles: Mapping[str, str],
    *,
    id_column: str,
    normalise: bool | Collection[str] = True,
) -> dict[str, list]:
    """The columns the engine compares, as a dict of equal-length lists, from rows and their column roles.

    `roles` maps a role (`person_name`, `identifier`, …, see `engine.ROLES`) to
    the column holding it. The result has `unique_id` (the id column as text),
    one column per role, and derived keys:

    - person_name → `person_name_key` (phonetic words sorted), `person_name_words`,
      `person_name_block` (consonant skeletons sorted), `person_first_block`, `person_last_block`
    - business_name → `business_name_block`, `business_first_block`, `business_words`
    - identifier → `identifier_key` (its characters sorted), `sex`, and `birth_date` filled
      from a valid NIK where the row has none

    Word lists are space-joined text (the engine splits them into arrays).
    With `normalise=False` cells are only trimmed and lowercased; given a
    collection of roles, only those are normalised.
    """
    rows = list(rows)
    wanted = {id_column, *roles.values()}
    return normalise_columns(
        {column: [row.get(column) for row in rows] for column in wanted},
        roles,
        id_column=id_column,
        normalise=normalise,
    )


def normalise_columns(
    table: Mapping[str, list],
    roles: Mapping[str, str],
    *,
    id_column: str,
    normalise: bool | Collection[str] = True,
) -> dict[str, list]:
    """`normalise_records` for a table given as columns (column name → list of cells), as the engine has it.

    `normalise`: True for every role, False for none, or the roles to normalise (the others
    are only trimmed and lowercased).
    """
    rows = len(table[id_column])
    columns: dict[str, list] = {"unique_id": [_id_text(value) for value in table[id_column]]}
    normalised = set(roles) if normalise is True else set() if normalise is False else set(normalise)
    for role, column in roles.items():
        function = NORMALISERS[role] if role in normalised else _IDENTITY[role]
        columns[role] = _mapped(table[column], function)
    if "person_name" in columns:
        names = columns["person_name"]
        columns["person_name_key"] = _mapped(names, lambda n: _joined(n, sorted_key))
        columns["person_name_words"] = _mapped(names, lambda n: " ".join(sorted(set(n.split()))) if n else None)
        columns["person_name_block"] = _mapped(names, lambda n: _joined(n, skeleton_key))
        columns["person_first_block"] = _mapped(names, _first)
        columns["person_last_block"] = _mapped(names, _last)
    if "business_name" in columns:
        names = columns["business_name"]
        columns["business_name_block"] = _mapped(names, lambda n: _joined(n, skeleton_key))
        columns["business_first_block"] = _mapped(names, _first)
        words = _mapped(names, free_text)
        if "person_name" in columns:
            # The owner's own name in a business's name ("Sate Ayam Pak Arif") says who runs it, not
            # what it is: left in, one owner's two businesses would share a business word. A name of
            # nothing else ("Warung Bu Sri") is left without words, which the engine reads as neutral.
            words = [_without_owner(w, n) for w, n in zip(words, columns["person_name"], strict=True)]
        columns["business_words"] = words
    if "identifier" in columns:
        # Its characters sorted: two digits swapped (`2694239`/`2692439`) still block together.
        columns["identifier_key"] = _mapped(columns["identifier"], lambda v: "".join(sorted(v)) if v else None)
        encoded = _mapped(columns["identifier"], nik_birth_date_and_sex)
        columns["sex"] = [found[1] if found else None for found in encoded]
        dates = columns.get("birth_date") or [None] * rows
        columns["birth_date"] = [
            date or (found[0].isoformat() if found else None) for date, found in zip(dates, encoded, strict=True)
        ]
    return columns


def _without_owner(words: str | None, owner: str | None) -> str | None:
    if not words or not owner:
        return words
    own = set(owner.split())
    return " ".join(word for word in words.split() if word not in own) or None


def _id_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()
