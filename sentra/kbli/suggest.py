"""KBLI 2020 search and suggestions, ranked by the meaning of each code's title and examples.

`KbliIndex` reads every subclass's title (what it excludes, "BUKAN KECAP, TEMPE DAN TAHU", counts
against it), the examples its scope note names ("seperti kerupuk udang, kerupuk ikan …"), what other
notes send to it ("… dimasukkan dalam kelompok 10793") and a curated table of the words offices use.
The KBLI picker and the API list its ranking; the import preview takes its best code as a suggestion
for each "jenis usaha" text, which the user confirms. No suggestion is better than a wrong one, so
weak or ambiguous matches return None. Measured on `data/activities.csv` (bench/kbli_bench.py).
"""

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentra.kbli.models import Kbli, KbliLevel

BASIS_KEYWORD = _("kata kunci")
BASIS_TITLE = _("judul KBLI")
BASIS_EXAMPLE = _("contoh dalam uraian KBLI")
BASIS_ORDER = (BASIS_KEYWORD, BASIS_EXAMPLE, BASIS_TITLE)  # on equal scores, the more specific evidence first


@dataclass(frozen=True)
class Suggestion:
    code: str
    title: str
    score: float  # 0..1, how sure we are
    basis: str | Promise  # BASIS_KEYWORD, BASIS_EXAMPLE or BASIS_TITLE, shown to the user


# Curated words and phrases of everyday UMKM activities, by KBLI subclass. Phrases are written in
# normalised form (see `normalise`); where several match, the longest wins, so a specific phrase
# ("keripik pisang", "bakso ikan", "jamu gendong") overrides a general one.
KEYWORDS: dict[str, tuple[str, ...]] = {
    # Food and drink manufacturing
    "10794": ("keripik", "kerupuk", "peyek", "emping", "rengginang", "opak", "kecimpring", "keripik singkong"),
    "10313": (
        "keripik pisang",
        "keripik buah",
        "keripik nangka",
        "sale pisang",
        "manisan kering",
    ),  # "termasuk keripik dari buah"
    "10793": (
        "kacang bawang",
        "kacang telur",
        "kacang atom",
        "enting enting",
        "peyek kacang",
        "kacang mete",
    ),
    "10391": ("tempe",),
    "10392": ("tahu", "tahu bakso", "tahu susu"),
    "10295": ("terasi", "terasi udang"),  # fermentation of other aquatic biota, "seperti terasi udang"
    "10779": ("petis",),
    "10212": ("ikan asap", "pengasapan ikan", "ikan panggang", "bandeng asap"),
    "10211": ("ikan asin", "ikan kering", "pengeringan ikan", "ikan teri kering"),
    "10214": ("pindang", "ikan pindang", "pemindangan ikan"),
    "10291": ("ebi", "udang kering", "cumi kering"),
    "10216": ("bakso ikan", "otak otak", "nugget ikan", "kerupuk ikan basah"),
    "10219": ("abon ikan", "bandeng presto"),
    "10120": ("rumah potong ayam", "pemotongan ayam", "potong ayam"),
    "10110": ("rumah potong hewan", "jagal", "jagal sapi"),
    "10130": ("abon", "abon sapi", "dendeng", "sosis", "olahan daging"),
    "10710": ("roti", "kue", "kue kering", "bakery", "bolu", "brownies", "kue lebaran"),
    "10792": ("kue basah", "jajanan pasar", "kue tradisional", "lemper", "klepon"),
    "10796": ("dodol", "jenang", "wajik"),
    "10734": ("permen", "kembang gula"),
    "10722": ("gula merah", "gula aren", "gula kelapa", "gula jawa", "gula semut"),
    "10761": ("kopi", "kopi bubuk", "bubuk kopi", "roasting kopi"),
    "10763": ("teh", "teh kering"),
    "10771": ("kecap",),
    "10772": ("bumbu", "bumbu masak", "bumbu pecel", "sambal", "sambel"),
    "10773": ("santan", "nata de coco", "kelapa parut"),
    "10423": ("minyak kelapa", "vco"),
    "10621": ("tapioka", "aci"),
    "10631": ("penggilingan padi", "selep padi", "penggilingan beras"),
    "10740": ("mie basah", "mie kering", "bihun", "soun"),
    "10799": ("telur asin", "makanan ringan", "snack"),
    "10532": ("es lilin", "es mambo", "es puter"),
    "10531": ("es krim",),
    "10510": ("susu", "susu kambing", "susu sapi", "yoghurt"),
    "11052": ("air isi ulang", "depot air", "depot air minum", "air minum isi ulang"),
    "11040": ("minuman ringan", "minuman kemasan"),
    "10723": ("sirup", "sirop", "sirup buah"),
    "21022": ("jamu", "obat herbal", "jamu tradisional", "herbal"),
    "20231": ("sabun", "sabun cuci", "deterjen"),
    "20232": ("kosmetik", "parfum", "lulur"),
    # Textiles, clothing, leather
    "13134": ("batik", "batik tulis", "batik cap", "membatik", "pengrajin batik"),
    "13121": ("tenun", "kain tenun", "sarung tenun", "songket", "tenun songket"),
    "13122": ("tenun ikat",),
    "13133": ("sablon", "sablon kaos", "sablon baju"),
    "14302": ("bordir", "sulaman", "sulam"),
    "14301": ("rajut", "rajutan", "merajut"),
    "14111": ("konveksi", "garmen", "pakaian jadi", "seragam", "kaos", "kaos oblong"),
    "14120": ("jahit", "penjahit", "jahit pakaian", "jahit baju", "menjahit", "modiste"),
    "95291": ("vermak", "permak", "vermak levis"),
    "15121": ("tas", "tas kulit", "dompet", "kerajinan kulit"),
    "15201": ("sepatu", "sandal", "alas kaki", "sepatu kulit"),
    # Wood, bamboo, furniture, crafts
    "16291": ("anyaman bambu", "anyaman rotan", "kerajinan bambu", "kerajinan rotan", "besek", "tampah"),
    "16292": ("anyaman pandan", "anyaman mendong", "eceng gondok", "anyaman purun", "tikar pandan"),
    "16293": ("ukiran", "ukiran kayu", "ukir kayu", "kerajinan kayu", "patung kayu"),
    "31001": ("mebel", "furnitur", "mebel jati", "mebel kayu", "lemari", "kursi"),
    "31002": ("mebel rotan", "mebel bambu", "kursi rotan"),
    "23932": ("gerabah", "tembikar", "keramik", "kerajinan tanah liat"),
    "23921": ("batu bata", "bata merah"),
    "23922": ("genteng", "genting"),
    "23953": ("batako", "paving", "paving block", "buis beton"),
    "25111": ("teralis", "pagar besi", "bengkel las", "las", "kanopi", "las listrik"),
    "32112": ("perhiasan", "perhiasan emas", "perak", "kerajinan perak"),
    "32120": ("aksesoris", "perhiasan imitasi", "manik manik"),
    "32402": ("mainan", "mainan anak"),
    "18111": ("percetakan", "digital printing", "undangan", "cetak undangan", "offset"),
    # Agriculture, livestock, fisheries
    "01122": ("padi", "sawah", "petani padi", "pertanian padi"),  # most rice grown is inbred (inbrida)
    "01111": ("jagung", "pertanian jagung"),
    "01131": ("sayur", "sayuran", "pertanian sayur", "kangkung", "bayam", "sawi"),
    "01133": ("cabai", "cabe", "tomat", "terong"),
    "01132": ("buah", "kebun buah", "melon", "semangka"),
    "01270": ("kebun kopi", "petani kopi", "pertanian kopi", "perkebunan kopi", "kebun kakao"),
    "01261": ("kebun kelapa", "perkebunan kelapa"),
    "01262": ("sawit", "kelapa sawit", "kebun sawit", "perkebunan kelapa sawit"),
    "01136": ("jamur", "budidaya jamur", "jamur tiram"),
    "01193": ("tanaman hias", "bunga potong", "anggrek"),
    "01461": ("ayam potong", "ayam broiler", "ayam pedaging", "ternak ayam"),
    "01462": ("ayam petelur", "telur ayam"),
    "01464": ("ayam kampung", "ayam buras", "ayam joper"),
    "01465": ("bebek", "itik", "ternak bebek"),
    "01466": ("puyuh", "burung puyuh"),
    "01442": ("kambing", "ternak kambing", "kambing etawa"),
    "01441": ("domba", "ternak domba"),
    "01411": ("sapi", "ternak sapi", "sapi potong", "penggemukan sapi"),
    "01412": ("sapi perah",),
    "01493": ("madu", "lebah", "madu lebah", "budidaya lebah", "lebah madu"),
    "02307": ("madu hutan",),
    "01497": ("walet", "sarang walet", "burung walet"),
    "01495": ("kelinci",),
    "01496": ("cacing",),
    "03221": ("lele", "nila", "gurame", "ikan mas", "budidaya ikan", "kolam ikan", "budidaya lele", "ikan air tawar"),
    "03226": ("pembenihan ikan", "benih ikan", "bibit ikan", "pembenihan lele"),
    "03225": ("ikan hias", "ikan cupang", "ikan koi", "budidaya ikan hias"),
    "03217": ("rumput laut",),
    "03254": ("tambak udang", "udang vaname"),
    "03251": ("tambak bandeng", "bandeng"),
    "03111": ("nelayan", "tangkap ikan", "penangkapan ikan"),
    # Trade
    "47112": ("sembako", "kelontong", "toko kelontong", "warung kelontong", "warung sembako", "toko sembako"),
    "47111": ("minimarket", "swalayan"),
    "47711": ("toko pakaian", "toko baju", "jual pakaian", "jual baju", "butik"),
    "47712": ("toko sepatu", "jual sepatu"),
    "47414": ("konter hp", "toko hp", "jual hp", "hp", "aksesoris hp"),
    "61999": ("pulsa", "konter pulsa", "jual pulsa", "kuota", "voucher pulsa"),
    "47213": ("jual sayur", "pedagang sayur", "toko sayur"),
    "47991": ("sayur keliling", "tukang sayur", "buah keliling"),
    "47212": ("jual buah", "pedagang buah", "toko buah"),
    "47241": ("jual beras", "toko beras"),
    "47242": ("jual kue", "toko kue", "toko roti"),
    "47243": ("jual kopi", "toko kopi"),
    "47714": ("jual tas", "toko tas"),
    "47215": ("jual ikan", "pedagang ikan"),
    "47723": ("toko jamu", "jual jamu"),
    "47735": ("toko emas", "jual emas", "toko perhiasan"),
    "47721": ("apotek", "apotik"),
    "47591": ("toko mebel", "jual mebel"),
    "47528": ("toko bangunan", "material bangunan", "toko material"),
    "47772": ("gas elpiji", "agen gas", "pangkalan gas", "elpiji", "lpg"),
    "47302": ("pertamini", "bensin eceran", "jual bensin"),
    "47230": ("rokok", "toko rokok"),
    "45406": ("sparepart motor", "onderdil motor", "suku cadang motor"),
    # Food service and lodging
    "56102": (
        "warung makan",
        "rumah makan",
        "warteg",
        "kuliner",
        "bakso",
        "mie ayam",
        "soto",
        "nasi padang",
        "rawon",
        "sate",
        "sate kambing",
        "sate ayam",
        "ayam bakar",
        "ikan bakar",
        "bubur ayam",
        "gado gado",
        "warung nasi",
        "nasi uduk",
        "lesehan",
    ),  # food served at a fixed place
    "56101": ("restoran", "resto"),
    "56103": (
        "pecel lele",
        "pecel ayam",
        "angkringan",
        "nasi goreng",
        "seafood tenda",
        "ayam geprek",
        "martabak",
        "nasi kucing",
    ),
    "56104": ("bakso keliling", "gorengan", "gorengan keliling", "makanan keliling", "cilok", "siomay keliling"),
    "56210": ("katering", "jasa boga", "nasi kotak", "nasi box", "tumpeng"),
    "56303": ("kafe", "coffee shop", "warung kopi", "warkop"),
    "56304": ("kedai kopi", "kedai minuman", "es teh", "jus", "es buah", "minuman kekinian", "es kelapa"),
    "56306": ("jamu gendong", "es keliling"),
    "55130": ("homestay", "pondok wisata"),
    "55199": ("penginapan", "losmen", "guest house", "guesthouse", "wisma"),
    "55120": ("hotel melati", "hotel"),
    # Services
    "45407": ("bengkel motor", "servis motor", "tambal ban", "cuci motor", "bengkel sepeda motor", "bengkel"),
    "45201": ("bengkel mobil", "servis mobil"),
    "45202": ("cuci mobil", "salon mobil", "cuci steam"),
    "96200": ("laundry", "penatu", "binatu", "cuci pakaian", "cuci setrika", "laundry kiloan"),
    "96111": ("pangkas rambut", "barbershop", "barber", "cukur rambut", "tukang cukur", "potong rambut"),
    "96112": ("salon", "salon kecantikan", "rias pengantin", "tata rias", "make up", "perawatan wajah"),
    "96121": ("pijat", "pijat refleksi", "urut", "refleksi"),
    "82190": ("fotokopi", "jasa fotokopi", "pengetikan", "print dokumen"),
    "74201": ("foto", "studio foto", "fotografi", "fotografer"),
    "95120": ("servis hp", "reparasi hp", "service hp"),
    "95210": ("servis elektronik", "reparasi elektronik", "servis tv"),
    "95110": ("servis komputer", "servis laptop"),
    "95220": ("servis kulkas", "servis ac", "servis mesin cuci"),
    "95299": ("servis jam", "reparasi jam", "duplikat kunci"),
    "85498": ("kursus menjahit", "kursus jahit", "pelatihan menjahit"),
    "85495": ("bimbel", "bimbingan belajar", "les privat"),
    "49424": ("ojek", "ojek online", "ojol"),
    "77100": ("rental mobil", "sewa mobil"),
    "77291": ("sewa tenda", "persewaan alat pesta", "sound system"),
    "53201": ("kurir", "jasa antar"),
}

# Misspellings and spelling variants seen in offices' spreadsheets, mapped to one spelling.
SPELLING_VARIANTS: dict[str, str] = {
    "kripik": "keripik",
    "kripick": "keripik",
    "keripick": "keripik",
    "krupuk": "kerupuk",
    "kerupuq": "kerupuk",
    "rempeyek": "peyek",
    "meubel": "mebel",
    "meubeler": "mebel",
    "mebeler": "mebel",
    "mebelair": "mebel",
    "meubelair": "mebel",
    "furniture": "furnitur",
    "catering": "katering",
    "ketering": "katering",
    "laundri": "laundry",
    "londri": "laundry",
    "loundry": "laundry",
    "fotocopy": "fotokopi",
    "fotocopi": "fotokopi",
    "photocopy": "fotokopi",
    "potokopi": "fotokopi",
    "service": "servis",
    "servise": "servis",
    "handphone": "hp",
    "ponsel": "hp",
    "hape": "hp",
    "baso": "bakso",
    "mi": "mie",
    "cafe": "kafe",
    "caffe": "kafe",
    "trasi": "terasi",
    "tempeh": "tempe",
    "kueh": "kue",
    "jajan": "jajanan",
    "cabe": "cabai",
    "warong": "warung",
    "rm": "rumah makan",
    "tailor": "penjahit",
    "genting": "genteng",
    "aksesori": "aksesoris",
    "asesoris": "aksesoris",
}
# Multi-word variants, replaced in the normalised text.
PHRASE_VARIANTS: dict[str, str] = {
    "budi daya": "budidaya",
    "foto copy": "fotokopi",
    "foto kopi": "fotokopi",
    "sembilan bahan pokok": "sembako",
    "bahan pokok": "sembako",
    "home industri": "",
    "home industry": "",
}

# Words that say nothing about the activity, dropped before title matching.
_STOPWORD_TEXT = (
    "dan atau dari untuk yang di ke dengan serta oleh pada dalam lain lainnya ytdl ybdi dll dsb dst "
    "sejenisnya sejenis termasuk berbagai macam aneka jenis bidang sektor kegiatan aktivitas usaha "
    "pengusaha pelaku umkm ukm mikro kecil menengah rumahan kelompok bersama milik online sendiri ud cv "
    "pt bu pak ibu bapak mbak mas"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words that carry only the *kind* of activity: selling points to retail titles, making to industry ones.
_TRADE_WORDS = frozenset(["toko", "jual", "jualan", "dagang", "berdagang", "pedagang", "penjual", "penjualan", "kios"])
INTENT_WORDS: dict[str, str] = {
    **dict.fromkeys(_TRADE_WORDS, "eceran"),
    **dict.fromkeys(
        [
            "pembuatan",
            "produksi",
            "memproduksi",
            "pengrajin",
            "perajin",
            "kerajinan",
            "pabrik",
            "bikin",
            "membuat",
            "olahan",
            "pengolahan",
            "mengolah",
        ],
        "industri",
    ),
}
# What follows these words in a title is excluded, not included ("… BUKAN KECAP, TEMPE DAN TAHU").
_EXCLUSION = re.compile(r"\b(bukan|selain|kecuali|tidak termasuk|tidak mencakup)\b[^)]*")
# A sentence of a scope note that sends an activity elsewhere ("… dimasukkan dalam kelompok 10793").
_REFERRAL = re.compile(
    r"\b(?:dimasukkan|dimasukan|tercakup|termasuk|dicakup|diklasifikasikan|terliput|masuk)\b[^.]*?"
    r"\b(?:kelompok|subgolongan|golongan)\s+(\d{3,5})"
)
# Where a scope note starts naming its examples ("seperti kerupuk udang, kerupuk ikan dan …").
_EXAMPLES = re.compile(r"\b(?:seperti|misalnya|antara lain|yaitu|contohnya|termasuk)\b")
_LIST_SEPARATOR = re.compile(r"[,;()/:]|\b(?:dan|serta|atau|maupun|baik)\b")
_SENTENCE = re.compile(r"(?<=[a-z)])\.\s+")
_WORD = re.compile(r"[^\W\d_]+")

TITLE_WEIGHT = 1.0
EXAMPLE_WEIGHT = 0.9  # a word of an example the scope note names ("keripik paru") is nearly as good as the title
DESCRIPTION_WEIGHT = 0.3  # a word only elsewhere in the scope note is weak evidence
EXCLUDED_WEIGHT = -1.0  # a word the title excludes ("bukan … tempe") is evidence against
STEM_WEIGHT = 0.9  # "kebun" matching "PERKEBUNAN" is good evidence, but less than the word itself
HEAD_WEIGHT = 1.5  # Indonesian names the thing first: "keripik tempe" is a keripik, "nasi pecel" a dish of rice
# The divisions each kind of activity word points to: retail and repair (45–47), manufacturing (10–33).
INTENT_DIVISIONS = {"eceran": {f"{n}" for n in range(45, 48)}, "industri": {f"{n}" for n in range(10, 34)}}
INTENT_MISMATCH = 0.65
COMMON_EXAMPLE_WORD = 5  # a one-word example of a scope note counts as a phrase only if at most this many codes name it
UNEXPLAINED_HEAD = 0.85  # a phrase that leaves the named thing unexplained is weaker evidence
MIN_SCORE = 0.6
MIN_MARGIN = 0.1  # the best must beat the runner-up by this much


def normalise(text: str) -> str:
    """Lowercase letters-only words with spelling variants unified: "Kripik  Singkong!!" -> "keripik singkong"."""
    words = _WORD.findall(text.lower().replace("&", " dan "))
    result = " ".join(SPELLING_VARIANTS.get(word, word) for word in words)
    padded = f" {result} "
    for variant, replacement in PHRASE_VARIANTS.items():
        padded = padded.replace(f" {variant} ", f" {replacement} ")
    return " ".join(padded.split())


def stem(word: str) -> str:
    """Light Indonesian affix stripping (pengasapan -> asap, pertanian -> tani, penjahit -> jahit).

    Only used when a word does not occur as such, so rough edges (pengeringan -> ering) cost little.
    """
    if len(word) > 6 and word.endswith("an"):
        word = word[:-2]
    for prefix, replacement in (
        ("peng", ""),
        ("meng", ""),
        ("peny", "s"),
        ("meny", "s"),
        ("per", ""),
        ("ber", ""),
        ("pem", ""),
        ("mem", ""),
        ("pen", ""),
        ("men", ""),
        ("pe", ""),
        ("me", ""),
    ):
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            if prefix in ("pem", "mem") and rest[:1] in "aeiou":
                rest = "p" + rest  # pemanggangan -> panggang
            elif prefix in ("pen", "men") and rest[:1] in "aeiou":
                rest = "t" + rest  # penanaman -> tanam
            if len(replacement + rest) >= 4:
                return replacement + rest
    return word


def _content_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS and len(word) > 1]


# Curated phrase -> code, normalised the same way the typed text is.
_PHRASE_CODES: dict[str, str] = {normalise(phrase): code for code, phrases in KEYWORDS.items() for phrase in phrases}
# Words that say what is done, not what it is done to: never the head of what was typed.
ACTIVITY_WORDS = frozenset(
    [*INTENT_WORDS, *INTENT_WORDS.values(), "budidaya", "ternak", "peternakan", "beternak", "jasa", "buka"]
)


@dataclass
class _Entry:
    """What the KBLI says of one subclass, as words."""

    code: str
    title: str
    title_words: set[str] = field(default_factory=set)
    excluded: set[str] = field(default_factory=set)
    examples: list[tuple[str, ...]] = field(default_factory=list)  # curated phrases and the scope note's
    curated: set[tuple[str, ...]] = field(default_factory=set)
    example_words: set[str] = field(default_factory=set)
    description_words: set[str] = field(default_factory=set)


def _phrases(text: str) -> list[tuple[str, ...]]:
    """The items of a list in a scope note: "kerupuk udang, kerupuk ikan dan kerupuk pati" → three phrases."""
    phrases = []
    for item in _LIST_SEPARATOR.split(text):
        words = tuple(word for word in _content_words(item) if word not in ACTIVITY_WORDS)
        if 0 < len(words) <= 4:
            phrases.append(words)
    return phrases


def _read_scope_note(description: str) -> tuple[list[str], list[tuple[str, ...]], list[tuple[str, str]]]:
    """(the note's sentences about this code, the examples they name, (text, code) of each referral elsewhere)."""
    text = description.lower().split("tidak mencakup")[0]
    kept: list[str] = []
    examples: list[tuple[str, ...]] = []
    referrals: list[tuple[str, str]] = []
    for sentence in _SENTENCE.split(text):
        referral = _REFERRAL.search(sentence)
        if referral:  # "pembuatan keripik/peyek dari kacang kacangan dimasukkan dalam kelompok 10793"
            referrals.append((sentence[: referral.start()], referral.group(1)))
            continue
        kept.append(sentence)
        for marker in _EXAMPLES.finditer(sentence):
            examples.extend(_phrases(sentence[marker.end() :]))
    return kept, examples, referrals


class KbliIndex:
    """Every subclass's title, the examples of its scope note and the curated phrases, for ranking by meaning.

    A typed text is scored against each subclass by its words, weighed by how rare they are (idf),
    by where the KBLI says them (title, an example, the rest of the note; a word the title excludes
    counts against) and by their place (the first word names the thing). A whole example or curated
    phrase inside the text is the strongest evidence of all.
    """

    def __init__(self, subclasses: Iterable[tuple[str, str, str]]) -> None:
        self.entries: dict[str, _Entry] = {}
        referrals: list[tuple[str, str, str]] = []
        for code, title, description in subclasses:
            entry = _Entry(code=code, title=title)
            lowered = title.lower()
            entry.excluded = {word for match in _EXCLUSION.finditer(lowered) for word in _content_words(match.group())}
            entry.title_words = set(_content_words(_EXCLUSION.sub(" ", lowered)))
            sentences, examples, found = _read_scope_note(description)
            entry.examples = examples
            entry.description_words = {word for sentence in sentences for word in _content_words(sentence)}
            referrals.extend((code, text, target) for text, target in found)
            self.entries[code] = entry
        for source, text, target in referrals:  # what a note sends to another code is that code's evidence
            examples = [phrase for marker in _EXAMPLES.finditer(text) for phrase in _phrases(text[marker.end() :])]
            if target in self.entries:
                self.entries[target].description_words.update(_content_words(text))
                self.entries[target].examples.extend(examples)
            # and evidence against the code that sends it ("tempe bongkrek" is not 10391's)
            self.entries[source].excluded.update(word for example in examples for word in example)
        # "… rumah dan kebun" leaves "kebun" alone: a common word on its own is no example, only a mention.
        mentions = Counter(
            word
            for entry in self.entries.values()
            for word in entry.title_words | entry.description_words | {w for e in entry.examples for w in e}
        )
        for entry in self.entries.values():
            entry.examples = [e for e in entry.examples if len(e) > 1 or mentions[e[0]] <= COMMON_EXAMPLE_WORD]
        for phrase, code in _PHRASE_CODES.items():
            if code in self.entries:
                words = tuple(INTENT_WORDS.get(word, word) for word in phrase.split())
                self.entries[code].examples.append(words)
                self.entries[code].curated.add(words)
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)
        stemmed: dict[str, dict[str, float]] = defaultdict(dict)
        for entry in self.entries.values():
            entry.example_words = {word for example in entry.examples for word in example}
            fields = (
                (entry.description_words, DESCRIPTION_WEIGHT),
                (entry.example_words, EXAMPLE_WEIGHT),
                (entry.title_words, TITLE_WEIGHT),
            )
            for words, weight in fields:  # the stronger field last, so it wins
                for word in words:
                    self.postings[word][entry.code] = weight
                    stemmed[stem(word)][entry.code] = max(stemmed[stem(word)].get(entry.code, 0), weight)
        for entry in self.entries.values():
            # "ES … (BUKAN ES BATU DAN ES BALOK)" still makes es: only a word it never includes counts against
            for word in entry.excluded - entry.title_words - entry.example_words:
                self.postings[word][entry.code] = EXCLUDED_WEIGHT
        self.stemmed = stemmed
        self.count = len(self.entries)
        self.vocabulary = sorted(self.postings)
        self._idf: dict[str, float] = {}
        self._related: dict[str, dict[str, float]] = {}

    # -- words ------------------------------------------------------------------------------

    def related(self, word: str) -> dict[str, float]:
        """Subclasses whose KBLI text has the word (and, weaker, a word of the same stem), with its weight."""
        if word not in self._related:
            exact = self.postings.get(word, {})
            by_stem = {code: STEM_WEIGHT * weight for code, weight in self.stemmed.get(stem(word), {}).items()}
            self._related[word] = by_stem | exact
        return self._related[word]

    def frequency(self, word: str) -> int:
        """How many subclasses speak of the word (or a word of its stem)."""
        return sum(1 for weight in self.related(word).values() if weight > 0)

    def idf(self, word: str) -> float:
        # An unknown word weighs like the rarest one: it is evidence the text is about something else.
        if word not in self._idf:
            self._idf[word] = math.log(self.count / max(self.frequency(word), 1)) + 1.0
        return self._idf[word]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """Known words starting with `prefix` (a word still being typed in the picker), shortest first."""
        start = bisect.bisect_left(self.vocabulary, prefix)
        found = []
        for word in self.vocabulary[start:]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return sorted(found, key=len)[:limit]

    def query_weights(self, normalised: str, *, partial_last: bool = False) -> dict[str, float]:
        """Each distinct content word of the text with its weight (rarity, and the head's extra weight)."""
        words = list(dict.fromkeys(INTENT_WORDS.get(word, word) for word in _content_words(normalised)))
        if partial_last and words and words[-1] not in self.postings and len(words[-1]) >= 3:
            completions = self.completions(words[-1])
            if completions:
                words[-1:] = completions[:1]  # the likeliest word, scored; the others are only allowed
        weights = {word: self.idf(word) for word in words}
        head = next((word for word in words if word not in ACTIVITY_WORDS), None)
        if head is not None and len(words) > 1:
            weights[head] *= HEAD_WEIGHT
        for word in weights:
            if word in INTENT_WORDS.values():  # "eceran", "industri": say the kind, weigh like a common word
                weights[word] = 1.0
        return weights

    def head(self, normalised: str) -> str | None:
        """The word that names the thing (the first that is not an activity word), when there are several."""
        words = [INTENT_WORDS.get(word, word) for word in _content_words(normalised)]
        if len(set(words)) < 2:
            return None
        return next((word for word in words if word not in ACTIVITY_WORDS), None)

    # -- ranking ----------------------------------------------------------------------------

    def rank(self, text: str, *, limit: int = 20, partial_last: bool = False) -> list[tuple[str, float, str]]:
        """(code, score 0..1, basis) of the subclasses that fit `text` best, best first."""
        normalised = normalise(text)
        weights = self.query_weights(normalised, partial_last=partial_last)
        if not weights:
            return []
        total = sum(weights.values())
        matched: dict[str, float] = defaultdict(float)
        for word, weight in weights.items():
            for code, strength in self.related(word).items():
                matched[code] += weight * strength
        words = set(weights)
        head = self.head(normalised)
        sequence = " " + " ".join(INTENT_WORDS.get(word, word) for word in _content_words(normalised)) + " "
        scored = []
        for code, value in matched.items():
            if value <= 0:
                continue
            entry = self.entries[code]
            score = value / total * self._precision(entry, words)
            if any(code[:2] not in INTENT_DIVISIONS[word] for word in words & INTENT_DIVISIONS.keys()):
                score *= INTENT_MISMATCH  # "jual …" is trade, "pembuatan …" making: another kind fits less
            basis: str | Promise = BASIS_TITLE
            # "jual ayam potong" is trade: a farm's phrase "ayam potong" says nothing of it
            mismatched = any(code[:2] not in INTENT_DIVISIONS[word] for word in words & INTENT_DIVISIONS.keys())
            phrase = None if mismatched else self._phrase_score(entry, words, sequence, weights, total, head)
            if phrase is not None and phrase[0] > score:
                score, basis = phrase
            scored.append((code, round(min(score, 1.0), 3), basis))
        scored.sort(key=lambda item: (-item[1], BASIS_ORDER.index(item[2]), item[0]))
        return scored[:limit]

    def _precision(self, entry: _Entry, words: set[str]) -> float:
        """0.5..1: a title or example mostly made of the typed words beats a long one that merely contains them."""
        stems = {stem(word) for word in words}
        best = 0.0
        title = entry.title_words - ACTIVITY_WORDS
        for terms, weight in [(title, 1.0), *((set(example), EXAMPLE_WEIGHT) for example in entry.examples)]:
            if terms & words or {stem(term) for term in terms} & stems:
                covered = sum(self.idf(term) for term in terms if term in words or stem(term) in stems)
                best = max(best, weight * covered / sum(self.idf(term) for term in terms))
        return 0.5 + 0.5 * best

    def _phrase_score(
        self,
        entry: _Entry,
        words: set[str],
        sequence: str,
        weights: dict[str, float],
        total: float,
        head: str | None,
    ) -> tuple[float, str | Promise] | None:
        """The score of the best whole example or curated phrase found in the text, and its basis.

        A phrase must appear in order: "ayam potong" is a broiler, "potong ayam" a slaughterhouse.
        """
        best: tuple[float, str | Promise] | None = None
        for example in entry.examples:
            if not set(example) <= words or f" {' '.join(example)} " not in sequence:
                continue
            curated = example in entry.curated
            covered = sum(weights[word] for word in set(example)) / total
            score = (0.6 if curated else 0.55) + 0.4 * min(covered, 1.0)
            if head is not None and head not in example:
                score *= UNEXPLAINED_HEAD  # "sangkar burung" is a cage, whatever "burung" names
            if best is None or score > best[0]:
                best = (score, BASIS_KEYWORD if curated else BASIS_EXAMPLE)
        return best


_index_cache: tuple[tuple, KbliIndex] | None = None


def kbli_index() -> KbliIndex:
    """The index of the KBLI table as stored: built once per process, again only when the table changes."""
    global _index_cache
    subclasses = Kbli.objects.filter(level=KbliLevel.SUBCLASS)
    fingerprint = tuple(
        subclasses.aggregate(
            count=Count("code"), last=Max("code"), size=Sum(Length("title") + Length("description"))
        ).values()
    )
    if _index_cache is None or _index_cache[0] != fingerprint:
        rows = subclasses.values_list("code", "title", "description").order_by("code")
        _index_cache = (fingerprint, KbliIndex(rows))
    return _index_cache[1]


def suggest_kbli(texts: Iterable[str]) -> dict[str, Suggestion | None]:
    """A suggested KBLI subclass (or None) for each distinct text, keyed by the text as given.

    No suggestion is better than a wrong one: the best must score MIN_SCORE and beat the runner-up
    by MIN_MARGIN. Reads the KBLI table at most once per call (once per process while it is unchanged).
    """
    texts = list(dict.fromkeys(texts))
    normalised = {text: normalise(text) for text in texts}
    if not any(normalised.values()):
        return dict.fromkeys(texts)
    index = kbli_index()
    by_normalised: dict[str, Suggestion | None] = {}
    result: dict[str, Suggestion | None] = {}
    for text in texts:
        key = normalised[text]
        if key not in by_normalised:
            by_normalised[key] = _confident(index, key) if key else None
        result[text] = by_normalised[key]
    return result


def _confident(index: KbliIndex, text: str) -> Suggestion | None:
    if all(INTENT_WORDS.get(word, word) in ACTIVITY_WORDS for word in _content_words(text)):
        return None  # "produksi", "jual": the kind of activity, not the activity
    ranked = index.rank(text, limit=2)
    if not ranked:
        return None
    code, score, basis = ranked[0]
    runner_up, runner_up_basis = ranked[1][1:] if len(ranked) > 1 else (0.0, None)
    # A curated phrase is a person's decision: only another curated phrase makes it doubtful.
    decided = basis == BASIS_KEYWORD and runner_up_basis != BASIS_KEYWORD
    if score < MIN_SCORE or (score - runner_up < required_margin(score) and not decided):
        return None
    return Suggestion(code, index.entries[code].title, score, basis)


def required_margin(score: float) -> float:
    """How far the best must lead the runner-up: the surer the best, the less (0.1 at MIN_SCORE, 0.02 at 1)."""
    return 0.02 + (MIN_MARGIN - 0.02) * (1 - score) / (1 - MIN_SCORE)


def suggest_one(text: str) -> Suggestion | None:
    """The suggestion for a single text; prefer `suggest_kbli` for many."""
    return suggest_kbli([text])[text]


def ranked_codes(text: str, limit: int = 20) -> list[str]:
    """Subclass codes for what is being typed in a picker, best first (the last word may be unfinished)."""
    return [code for code, _score, _basis in kbli_index().rank(text, limit=limit, partial_last=True)]
