"""Suggest a five-digit KBLI 2020 code for the free-text business activity an office typed.

Used by the import preview: each distinct "jenis usaha" text gets at most one suggestion, which the
user confirms. A curated table of common UMKM words is tried first; otherwise the words are scored
against the subclass titles. No suggestion is better than a wrong one, so weak matches return None.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentra.kbli.models import Kbli, KbliLevel

BASIS_KEYWORD = _("kata kunci")
BASIS_TITLE = _("judul KBLI")


@dataclass(frozen=True)
class Suggestion:
    code: str
    title: str
    score: float  # 0..1, how sure we are
    basis: str | Promise  # BASIS_KEYWORD or BASIS_TITLE, shown to the user


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
        "keripik tempe",
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
        ["pembuatan", "produksi", "memproduksi", "pengrajin", "perajin", "kerajinan", "pabrik", "bikin"],
        "industri",
    ),
}
# In titles and descriptions, what follows these words is excluded, not included ("BUKAN KECAP, TEMPE DAN TAHU").
_EXCLUSION = re.compile(r"\b(bukan|selain|kecuali|tidak termasuk|tidak mencakup)\b[^)]*")
_WORD = re.compile(r"[^\W\d_]+")

DESCRIPTION_WEIGHT = 0.3  # a word only in the description is weak evidence
STEM_WEIGHT = 0.8  # "kebun" matching "PERKEBUNAN" is good evidence, but less than the word itself
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


def _keyword_match(normalised: str) -> tuple[str, float] | None:
    """The code of the longest curated phrase in the text (the earliest on a tie), and a score."""
    padded = f" {normalised} "
    found = [(phrase, padded.find(f" {phrase} ")) for phrase in _PHRASE_CODES if f" {phrase} " in padded]
    if not found:
        return None
    phrase, _position = min(found, key=lambda hit: (-len(hit[0].split()), hit[1]))
    code = _PHRASE_CODES[phrase]
    words = set(normalised.split())
    if code < "34" and words & _TRADE_WORDS and not set(phrase.split()) & _TRADE_WORDS:
        # "jual ayam potong" is trade, not farming: let the title scoring, which sees "jual", decide.
        return None
    content = set(_content_words(normalised)) - set(INTENT_WORDS) - set(INTENT_WORDS.values())
    covered = len(content & set(phrase.split())) / len(content) if content else 1.0
    # A phrase that is the whole text is as sure as we get; words it leaves unexplained lower the score, so a
    # title matching the whole text can win instead (see suggest_kbli).
    return code, round(0.6 + 0.4 * covered, 3)


class _TitleIndex:
    """Inverted index of subclass titles (and, weakly, descriptions) for TF-IDF-like scoring."""

    def __init__(self, subclasses: list[tuple[str, str, str]]) -> None:
        self.count = len(subclasses)
        # term -> {code: weight}; exact words and stems are kept apart so a stem is only a fallback.
        self.exact: dict[str, dict[str, float]] = defaultdict(dict)
        self.stemmed: dict[str, dict[str, float]] = defaultdict(dict)
        self.title_terms: dict[str, set[str]] = {}
        self._idf: dict[str, float] = {}
        self._postings: dict[str, dict[str, float]] = {}
        for code, title, description in subclasses:
            title_words = set(_content_words(_EXCLUSION.sub(" ", title.lower())))
            description_words = set(_content_words(description.lower().split("tidak mencakup")[0]))
            self.title_terms[code] = title_words
            for words, weight in ((description_words, DESCRIPTION_WEIGHT), (title_words, 1.0)):
                for word in words:  # title second, so it overrides the weaker description weight
                    self.exact[word][code] = weight
                    self.stemmed[stem(word)][code] = weight

    def postings(self, word: str) -> dict[str, float]:
        """Subclasses containing the word, and (weaker) those containing a word of the same stem."""
        if word not in self._postings:
            exact = self.exact.get(word, {})
            related = {code: STEM_WEIGHT * weight for code, weight in self.stemmed.get(stem(word), {}).items()}
            self._postings[word] = related | exact
        return self._postings[word]

    def idf(self, word: str) -> float:
        # An unknown word weighs like the rarest one: it is evidence the text is about something else.
        if word not in self._idf:
            self._idf[word] = math.log(self.count / max(len(self.postings(word)), 1)) + 1.0
        return self._idf[word]

    def best(self, normalised: str) -> tuple[str, float] | None:
        words = [INTENT_WORDS.get(word, word) for word in _content_words(normalised)]
        words = list(dict.fromkeys(words))  # distinct, in order
        if not words or all(word in INTENT_WORDS.values() for word in words):
            return None
        weights = {word: self.idf(word) for word in words}
        total = sum(weights.values())
        matched: dict[str, float] = defaultdict(float)
        for word, weight in weights.items():
            for code, strength in self.postings(word).items():
                matched[code] += weight * strength
        if not matched:
            return None
        scores = {code: value / total * self._precision(code, words) for code, value in matched.items()}
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        code, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score < MIN_SCORE or score - runner_up < MIN_MARGIN:
            return None
        return code, round(score, 3)

    def _precision(self, code: str, words: list[str]) -> float:
        """0.5..1: a title mostly made of the typed words beats a long title that merely contains them."""
        title = self.title_terms[code]
        if not title:
            return 0.5
        stems = {stem(word) for word in words}
        covered = sum(self.idf(term) for term in title if term in words or stem(term) in stems)
        return 0.5 + 0.5 * covered / sum(self.idf(term) for term in title)


def suggest_kbli(texts: Iterable[str]) -> dict[str, Suggestion | None]:
    """A suggested KBLI subclass (or None) for each distinct text, keyed by the text as given.

    Loads the subclass table once per call, so a whole import's activity column costs one query.
    """
    texts = list(dict.fromkeys(texts))
    normalised = {text: normalise(text) for text in texts}
    if not any(normalised.values()):
        return dict.fromkeys(texts)
    subclasses = list(
        Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", "title", "description").order_by("code")
    )
    titles = {code: title for code, title, _description in subclasses}
    index: _TitleIndex | None = None  # built only when some text needs it
    by_normalised: dict[str, Suggestion | None] = {}
    result: dict[str, Suggestion | None] = {}
    for text in texts:
        key = normalised[text]
        if key not in by_normalised:
            suggestion: Suggestion | None = None
            keyword = _keyword_match(key) if key else None
            if keyword and keyword[0] in titles:
                suggestion = Suggestion(keyword[0], titles[keyword[0]], keyword[1], BASIS_KEYWORD)
            if key and (suggestion is None or suggestion.score < 1):
                # The curated word explains only part of the text ("pengolahan rumput laut"): a title that
                # matches all of it is the better suggestion.
                index = index or _TitleIndex(subclasses)
                found = index.best(key)
                if found and (suggestion is None or found[1] > suggestion.score):
                    suggestion = Suggestion(found[0], titles[found[0]], found[1], BASIS_TITLE)
            by_normalised[key] = suggestion
        result[text] = by_normalised[key]
    return result


def suggest_one(text: str) -> Suggestion | None:
    """The suggestion for a single text; prefer `suggest_kbli` for many."""
    return suggest_kbli([text])[text]
