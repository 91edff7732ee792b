"""One list of what offices type for "nothing", read alike by an import and by an agency list."""

import pytest

from sentra.core.placeholders import says_nothing
from sentra.imports.values import is_placeholder
from sentra.linkage.normalize import business_name
from sentra.linkage.normalize import is_placeholder as linkage_placeholder


@pytest.mark.parametrize("text", ["-", "--", "…", ".", "?", "Belum Ada", "tdk ada.", "N/A", "PROSES", " kosong "])
def test_a_placeholder_says_nothing_in_an_import_and_in_an_agency_list(text):
    assert says_nothing(text)
    assert is_placeholder(text) and linkage_placeholder(text)
    assert business_name(text) is None  # nothing to compare


def test_a_zero_is_nothing_only_where_zero_is_no_value():
    assert is_placeholder("0") and is_placeholder(0) and is_placeholder("000")  # an optional phone, NIB, date
    assert not says_nothing("0") and not linkage_placeholder("0")  # an agency list's cell keeps its 0


@pytest.mark.parametrize("text", ["Sri", "Warung Tidak Ada Duanya", "Toko X Mart", "CV. 99"])
def test_real_values_are_kept(text):
    assert not says_nothing(text) and not is_placeholder(text) and not linkage_placeholder(text)
