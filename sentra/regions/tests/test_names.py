import pytest

from sentra.regions.names import region_key, street_part


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Jl. Melati No. 5, Ketuwan", "Jl. Melati No. 5"),
        ("Dusun Krajan RT 001/RW 002, DS. KETUWAN, Kec. Tunjungan", "Dusun Krajan RT 001/RW 002"),
        ("Jl. Melati No. 5, Balong", "Jl. Melati No. 5, Balong"),  # another village: the mismatch stays visible
        ("Ketuwan", "Ketuwan"),  # nothing but the village: kept whole rather than emptied
        ("Jl. Ketuwan Raya 3", "Jl. Ketuwan Raya 3"),  # a street named after the village is a street
        ("", ""),
        (None, ""),
    ],
)
def test_the_street_part_drops_only_the_area_shown_after_it(typed, expected):
    assert street_part(typed, "Ketuwan", "Tunjungan") == expected


def test_region_keys_ignore_prefixes_and_case():
    assert region_key("Kel. Desa  KETUWAN") == region_key("ketuwan") == "ketuwan"
