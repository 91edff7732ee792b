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


def street_part(address: str | None, *area_names: str) -> str:
    """The typed address without the trailing village or district names the page shows after it:
    `Jl. Melati No. 5, Ds. Ketuwan` with village Ketuwan → `Jl. Melati No. 5`. Parts naming
    another place stay, so a mismatch remains visible; an address that is only the area stays whole."""
    parts = [part.strip() for part in (address or "").split(",")]
    keys = {region_key(name) for name in area_names if name}
    while len(parts) > 1 and region_key(parts[-1]) in keys:
        parts.pop()
    return ", ".join(part for part in parts if part)
