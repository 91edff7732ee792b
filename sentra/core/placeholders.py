"""What offices type in a cell to mean "nothing here" (`-`, `belum ada`, `N/A`, `Proses`): one list for
the imports and the agency lists alike."""

import re
from functools import lru_cache

# What offices type in a cell to mean "nothing here", compared after `placeholder_key`.
PLACEHOLDER_WORDS = frozenset(
    {
        "belum ada", "blm ada", "belum", "blm", "tidak ada", "tdk ada", "tak ada", "tidak", "tdk", "ga ada",
        "gak ada", "nggak ada", "tidak punya", "tdk punya", "belum punya", "blm punya", "kosong", "nihil",
        "n a", "na", "none", "null", "nil", "nan", "x", "xx", "xxx", "tidak diketahui", "tdk diketahui",
        "belum diketahui", "tidak tahu", "tdk tahu", "proses", "dalam proses", "sedang proses", "on proses",
        "masih proses", "sedang diurus", "dalam pengurusan", "belum terdaftar", "tidak terdaftar",
    }
)  # fmt: skip
IN_PROGRESS_WORDS = frozenset(
    {"proses", "dalam proses", "sedang proses", "on proses", "masih proses", "sedang diurus", "dalam pengurusan"}
)


_WORD = re.compile(r"[a-z0-9]+")


def placeholder_key(value: object) -> str:
    """The words of a cell, lowercase, without punctuation: `Belum Ada.` → `belum ada`, `-` → ``."""
    return " ".join(_WORD.findall(str(value).lower()))


@lru_cache(maxsize=65_536)  # asked of every text cell of every row; offices type the same few over and over
def says_nothing(text: str, *, zero_too: bool = False) -> bool:
    """Whether `text` says nothing: blank, punctuation only, or a placeholder phrase; with `zero_too`,
    zeros as well (an optional phone or NIB of `0`)."""
    key = placeholder_key(text)
    return not key or key in PLACEHOLDER_WORDS or (zero_too and not key.strip("0 "))
