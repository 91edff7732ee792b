"""A Blora registry and the industry office's list of some of the same UMKM, with the truth known."""

# Registered in Blora: (village code, village name, owner, NIK, phone, business, product)
REGISTRY = [
    (
        "33.16.01.2001",
        "Bangkleyan",
        "Hj. Siti Aminah",
        "3316014512800001",
        "+6281229001111",
        "UD Sumber Rejeki",
        "keripik tempe",
    ),  # noqa: E501
    (
        "33.16.01.2004",
        "Pelem",
        "Drs. H. Moh. Yusuf",
        "3316010203750002",
        "+6281329001112",
        "CV Maju Jaya",
        "mebel jati",
    ),  # noqa: E501
    (
        "33.16.01.2007",
        "Singget",
        "Soedjatmiko",
        "3316011508650003",
        "+6281229001113",
        "Batik Tulis Lestari",
        "batik tulis",
    ),  # noqa: E501
    (
        "33.16.02.2002",
        "Bodeh",
        "Sri Wahyuni",
        "3316026704850004",
        "+6285729001114",
        "Warung Makan Bu Sri",
        "nasi pecel",
    ),  # noqa: E501
    ("33.16.02.2006", "Pilang", "Ahmad Fauzi", "3316022011900005", "+6281929001115", "Kerupuk Fauzi", "krupuk"),
    ("33.16.02.2009", "Kutukan", "Siti Aminah", "3316024303820006", "+6282129001116", "Jahit Aminah", "jahitan"),
    ("33.16.03.2001", "Megeri", "Joko Santoso", "3316030101700008", "+6281329001118", "Bengkel Las Joko", "las"),
    ("33.16.03.2004", "Nginggil", "Dewi Lestari", "3316034406920009", "+6281529001119", "Salon Dewi", "salon"),
    ("33.16.03.2007", "Sumber", "Agus Salim", "3316031007780010", "+6287729001120", "Tahu Agus", "tahu"),
    ("33.16.03.2010", "Medalem", "Rina Marlina", "3316035812830011", "+6289629001121", "Jamu Rina", "jamu"),
    ("33.16.01.2010", "Randulawang", "Bambang Riyadi", "3316010509690012", "+6281229001122", "Kopi Bambang", "kopi"),
    ("33.16.02.2013", "Bekutuk", "Endang Susilowati", "3316026202870013", "+6285229001123", "Sambal Endang", "sambal"),
    ("33.16.02.2016", "Tanggel", "Slamet Riyanto", "3316021303720014", "+6281829001124", "Bakso Slamet", "bakso"),
    (
        "33.16.01.2001",
        "Bangkleyan",
        "Wahyu Hidayat",
        "3316012104880015",
        "+6281729001125",
        "Konveksi Wahyu",
        "konveksi",
    ),  # noqa: E501
    ("33.16.01.2004", "Pelem", "Tri Wulandari", "3316016906910016", "+6285829001126", "Roti Tri", "roti"),
    ("33.16.03.2001", "Megeri", "Heru Prasetyo", "3316030808800017", "+6281229001127", "Madu Heru", "madu"),
    (
        "33.16.03.2004",
        "Nginggil",
        "Nur Hidayah",
        "3316034909860018",
        "+6285729001128",
        "Kerajinan Bambu Nur",
        "anyaman bambu",
    ),  # noqa: E501
    (
        "33.16.02.2002",
        "Bodeh",
        "Eko Purnomo",
        "3316021710760019",
        "+6281329001129",
        "Eko Elektronik",
        "servis elektronik",
    ),  # noqa: E501
    ("33.16.03.2007", "Sumber", "Yuli Astuti", "3316035111890020", "+6285629001130", "Gorengan Yuli", "gorengan"),
    ("33.16.01.2007", "Singget", "Budi Santoso", "3316011212800021", "+6281229001131", "Tempe Budi", "tempe"),
]
# The industry office's list: no NIKs, its own spellings. (owner, business, phone, village, product, registry index)
PARTNER = [
    ("SITI AMINAH", "SUMBER REJEKI", "081229001111", "BANGKLEYAN", "KERIPIK", 0),
    ("H. Muhamad Yusuf", "U.D. Maju Jaya", "0813-2900-1112", "Ds. Pelem", "mebel", 1),
    ("Bpk. Sujatmiko", "Batik Lestari", "", "Singget", "batik", 2),
    ("Ny. Sri Wahyuni", "Warung Sri", "0857 2900 1114", "Bodeh", "pecel", 3),
    ("Slamet Riyanto", "Bakso Pak Slamet", "+62 818 2900 1124", "Tanggel", "bakso", 12),
    ("Wahyu Hidayat", "Konveksi Wahyu", "0817-2900-1125", "Desa Bangkleyan", "", 13),
    ("Siti Aminah", "Toko Kelontong Aminah", "081229009999", "Randulawang", "sembako", None),  # another Siti Aminah
    ("Hendra Gunawan", "Percetakan Hendra", "081229008888", "Pelem", "sablon", None),
]
