"""What a business stores but nobody types: worked out from what was typed, in one place.

Its region copies (from the village), its size class (from capital and turnover) and its
search text (its name, its owner's, its products'). Forms and services
(`Business.refresh_derived_fields`), imports (`imports.planning.business_derived`, run
in a child process with no database) and the demo seed all call `derived_fields`, so
a business stores the same copies however it was written. A pure function of its
arguments: nothing here reads the database.
"""

from collections.abc import Sequence
from typing import NamedTuple

from sentra.registry.search import search_text_for
from sentra.registry.sizing import size_class_for


class DerivedFields(NamedTuple):
    district_id: str
    regency_id: str
    province_id: str
    size_class: str
    size_basis: str
    search_text: str


def derived_fields(
    *,
    village_code: str,
    capital: int | None,
    annual_turnover: int | None,
    name: str,
    owner_name: str,
    product_names: Sequence[str] = (),
) -> DerivedFields:
    size_class, size_basis = size_class_for(capital, annual_turnover)
    return DerivedFields(
        district_id=village_code[:8],
        regency_id=village_code[:5],
        province_id=village_code[:2],
        size_class=size_class,
        size_basis=size_basis,
        search_text=search_text_for(name, owner_name, list(product_names)),
    )
