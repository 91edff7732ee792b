"""How Sentra shows money, identifiers and phone numbers."""


def format_rupiah(amount: int | None) -> str:
    """`Rp 1.500.000`; an empty string for no amount."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(int(amount)):,}".replace(",", ".")


def mask_nik(nik: str | None) -> str:
    """`3316********0003`: region and serial stay readable, the birth date is hidden."""
    if not nik:
        return ""
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


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
