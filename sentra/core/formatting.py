"""How Sentra shows money, identifiers and phone numbers."""

import re


def format_rupiah(amount: int | None) -> str:
    """`Rp 1.500.000`; an empty string for no amount."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(int(amount)):,}".replace(",", ".")


def mask_nik(nik: str | None) -> str:
    """`331601**********`: the district it was issued in stays readable; birth date and serial are hidden.

    A page may show the owner's birth date and sex (digits 7–12 of the NIK) and their district
    (digits 1–6), so the serial must never show: with it the whole NIK could be rebuilt.
    """
    if not nik:
        return ""
    return nik[:6] + "*" * (len(nik) - 6)


_NIK_LIKE = re.compile(r"(?<!\d)\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{6}[ .]?\d{4}(?!\d)")
NIK_KEYS = {"nik", "owner__nik", "identifier"}


def mask_niks(value: object) -> object:
    """`value` (text, or JSON of lists and dicts) with every NIK in it masked: under a `nik` key, or
    anything written like one (16 digits, spaced or dotted as people type them)."""
    if isinstance(value, dict):
        return {
            key: mask_nik(str(item)) if str(key).lower() in NIK_KEYS and item else mask_niks(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_niks(item) for item in value]
    if isinstance(value, str):
        return _NIK_LIKE.sub(lambda match: mask_nik(re.sub(r"\D", "", match.group())), value)
    return value


def format_phone(e164: str | None) -> str:
    """`+62 812-3456-7890` (mobile), `+62 296531234` (landline); the stored value stays E.164."""
    if not e164:
        return ""
    national = e164.removeprefix("+62")
    if not national.startswith("8"):
        return f"+62 {national}"  # landline: area codes vary in length, so no grouping
    groups = [national[:3], national[3:7], national[7:]]
    return "+62 " + "-".join(group for group in groups if group)


def whatsapp_url(e164: str | None) -> str:
    return f"https://wa.me/{e164.removeprefix('+')}" if e164 else ""


def format_percent(share: float | None) -> str:
    """A share (0..1) as `12,5%`, Indonesian decimal comma whatever the active language; "" for none."""
    if share is None:
        return ""
    if 0 < share < 0.0005:
        return "<0,1%"  # a few of many: not "0,0%", which reads as none
    if 0.9995 <= share < 1:
        return ">99,9%"  # all but a few: not "100,0%"
    return f"{share * 100:.1f}".replace(".", ",") + "%"
