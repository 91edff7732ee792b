"""How region names are compared: the imports' village and district columns, the linkage engine's
villages and boundary files' district names all go through `region_key`."""

import re

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
