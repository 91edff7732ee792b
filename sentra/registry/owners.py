"""Owners shared across regencies: who keeps a person's record, and how another office links to it.

The rule (docs/owners.md): one person, one NIK, one record, kept by the office of
their *home regency* (where they were first registered). Another regency's office
may register a business for the same NIK, but only under the name the record
already carries, and it learns nothing more of them: what it typed about the
person goes to the keeping office as a proposal (`PersonProposal`), and nothing
of the person changes until that office accepts it.
"""

import difflib
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Subquery

from sentra.registry.models import Business, Person

# How alike two typed names must be (after titles, degrees and old spellings are set aside).
NAME_SIMILARITY = 0.85


def _name_words(name: str) -> list[str]:
    from sentra.linkage.normalize import person_name_words

    return person_name_words(name)


def same_person_name(typed: str, stored: str) -> bool:
    """Whether an officer typing `typed` means the person recorded as `stored`.

    `Siti Aminah` is `Hj. Siti Aminah, S.Pd.`; `Sri Wahyini` is `Sri Wahyuni`
    (a typing slip), but `Budi Santoso` is not `Siti Aminah`.
    """
    typed_words, stored_words = _name_words(typed), _name_words(stored)
    if not typed_words or not stored_words:
        return False
    if set(typed_words) <= set(stored_words) or set(stored_words) <= set(typed_words):
        return True
    ratio = difflib.SequenceMatcher(None, " ".join(typed_words), " ".join(stored_words)).ratio()
    return ratio >= NAME_SIMILARITY


def keeps(user, person: Person, action: str = "view") -> bool:
    """Whether `user` may read `person`'s record in full (`view`) or change it."""
    if person.pk is None:
        return True
    return Person.objects.restrict(user, action).filter(pk=person.pk).exists()


def refresh_homes(person_ids: Iterable[int]) -> None:
    """Move the home of each person left with no business in their home regency.

    The new home is the regency of their earliest remaining business; a person
    with no business at all keeps theirs (a business may be registered again).
    """
    ids = sorted(set(person_ids))
    businesses = Business.objects.filter(owner_id=OuterRef("pk"))
    for start in range(0, len(ids), 2000):
        stranded = (
            Person.objects.filter(pk__in=ids[start : start + 2000])
            .annotate(
                first_regency=Subquery(businesses.order_by("pk").values("regency_id")[:1]),
                at_home=Exists(businesses.filter(regency_id=OuterRef("home_regency_id"))),
            )
            .filter(first_regency__isnull=False, at_home=False)
        )
        for pk, regency in stranded.values_list("pk", "first_regency"):
            Person.objects.filter(pk=pk).update(home_regency_id=regency)
