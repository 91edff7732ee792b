"""Duplicates inside the registry itself: found by the same engine, weighed, reviewed, and merged reversibly.

Merging is never automatic: it removes a record, so an officer decides every
pair (`linkage.merges` merges, and undoes a merge for a set period). One
owner's other business is not a duplicate of the first: the NIK, phone and
birth date they share say "same owner", so a pair whose villages, KBLI groups,
or business names and products differ is held for review below the threshold,
with the reasons on its card, never offered as sure.

The model needs more than a name to be sure, so a record typed again with
nothing but its owner's name (no NIK, phone or birth date) scores low against
the first. Such pairs, the same owner's name in the same village with a
business word or product in common and nothing that says "two people", are
proposed too, last in the queue, with what found them on the card.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.models import Office
from sentra.core import jobs
from sentra.core.scope import ensure_may
from sentra.linkage import normalize
from sentra.linkage.merges import merge_businesses
from sentra.linkage.models import Candidate, Decision, DuplicatePair
from sentra.linkage.roles import ASSIGNABLE_ROLES
from sentra.linkage.services import (
    LinkageRefused,
    engine_refusals,
    evidence_of,
    held_probability,
    registry_rows,
)
from sentra.registry.models import Business

# Why a pair is held for review: the evidence's "held" list names them (shown on the card).
HELD_REASONS = {
    "village": gettext_lazy("desa/kelurahan berbeda"),
    "kbli": gettext_lazy("golongan KBLI berbeda"),
    "business": gettext_lazy("nama usaha dan produk tidak sama sekali"),
    "business_name": gettext_lazy("nama usaha berbeda (paling banyak satu kata sama)"),
    "names_only": gettext_lazy("diusulkan karena nama pemilik dan nama usahanya sama, walau model menilainya kecil"),
}
# A registry pair held for all of these is one owner's other business, almost surely.
OTHER_BUSINESS_REASONS = frozenset({"village", "kbli", "business"})
# Pairs below the review floor that a rule proposes; the evidence's "found_by" names the rule.
FOUND_BY = {
    "namesake": gettext_lazy(
        "diusulkan karena nama pemilik sama di desa/kelurahan yang sama dan nama usaha atau produknya mirip; "
        "NIK, telepon atau tanggal lahir tidak cukup tercatat untuk dinilai model"
    ),
}
# The engine's pairs are read down to here, for `namesakes` to pick from.
NAMESAKE_FLOOR = 0.0001


def _check(actor, office: Office) -> None:
    ensure_may(actor, "change", office.pk, _("Anda hanya boleh mengelola data UMKM kantor Anda sendiri."))


def find_duplicates(office: Office, *, actor=None) -> int:
    """Pairs of registered businesses in the office's area that may be one UMKM; returns how many await review."""
    from sentra.linkage.engine import Spec, dedupe

    _check(actor, office)
    rows = registry_rows(office, actor)
    if len(rows) < 2:
        return 0
    spec = Spec(id_column="id", roles={role: role for role in ASSIGNABLE_ROLES})
    with engine_refusals(f"the duplicate search of office {office.pk}"):
        result = dedupe(rows, spec, min_probability=NAMESAKE_FLOOR)
    facts = {row["id"]: _facts(row) for row in rows}
    proposed = namesakes(rows, facts)
    floor = settings.LINKAGE_REVIEW_FLOOR
    with transaction.atomic():
        existing = {(pair.first_id, pair.second_id): pair for pair in DuplicatePair.objects.filter(office=office)}
        seen = set()

        def keep(first: int, second: int, probability: float, weight: float, evidence: dict) -> None:
            pair = existing.get((first, second)) or DuplicatePair(office=office, first_id=first, second_id=second)
            held = held_reasons(facts[str(first)], facts[str(second)])
            pair.probability = held_probability(probability, weight, len(held)) if held else probability
            pair.evidence = {**evidence, "held": held} if held else evidence
            pair.save()
            seen.add(pair.pk)

        for found in result.pairs.itertuples(index=False):
            first, second = sorted((int(found.left_id), int(found.right_id)))
            evidence = evidence_of(found, result.roles)
            probability, weight = float(found.probability), float(found.match_weight)
            if probability >= floor:
                keep(first, second, probability, weight, evidence)
            elif (first, second) in proposed:
                keep(first, second, probability, weight, {**evidence, "found_by": "namesake"})
            proposed.discard((first, second))
        for first, second in sorted(proposed):  # not compared, or scored below NAMESAKE_FLOOR
            keep(first, second, 0.0, 0.0, {"found_by": "namesake"})
        # Pairs an earlier search proposed that this one does not find (edited since) leave the queue.
        DuplicatePair.objects.filter(office=office, decision=Decision.PENDING).exclude(pk__in=seen).delete()
    return DuplicatePair.objects.filter(office=office, decision=Decision.PENDING).count()


def held_labels(pair: DuplicatePair | Candidate) -> list[str]:
    """Why the pair (or an agency row's candidate) is held, in the officer's words."""
    return [str(HELD_REASONS[code]) for code in pair.evidence.get("held", []) if code in HELD_REASONS]


def found_by_label(pair: DuplicatePair) -> str:
    """The rule that proposed a pair the model alone would not, in the officer's words ("" for none)."""
    code = pair.evidence.get("found_by", "")
    return str(FOUND_BY[code]) if code in FOUND_BY else ""


def _facts(row: dict) -> dict:
    """What the registry knows of a business beyond the engine's roles: village, KBLI group, own words."""
    owner = set(normalize.person_name_words(row["person_name"]))
    name = set(normalize.product_words(" ".join(normalize.business_name_words(row["business_name"])))) - owner
    return {
        "village": row["village_id"],
        "kbli_group": (row["kbli"] or "")[:3],
        "name_words": name,
        "product_words": set(normalize.product_words(row["text"])),
    }


def namesakes(rows: list[dict], facts: dict[str, dict]) -> set[tuple[int, int]]:
    """Pairs (lower id first) with the owner's name spelt alike in one village and a business word or
    product in common (or neither naming anything beyond its owner), unless NIK or birth date differ."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        owner = normalize.person_name(row["person_name"])
        if owner and row["village_id"]:
            groups.setdefault((row["village_id"], owner), []).append(row)
    pairs = set()
    for group in groups.values():
        for i, one in enumerate(group):
            for other in group[i + 1 :]:
                if any(one[key] and other[key] and one[key] != other[key] for key in ("identifier", "birth_date")):
                    continue
                words = [facts[row["id"]]["name_words"] | facts[row["id"]]["product_words"] for row in (one, other)]
                if (words[0] & words[1]) or not (words[0] or words[1]):
                    pairs.add(tuple(sorted((int(one["id"]), int(other["id"])))))
    return pairs


def held_reasons(first: dict, second: dict) -> list[str]:
    """Why two records, whatever their owner shares, may be two businesses (`HELD_REASONS` keys)."""
    reasons = []
    if first["village"] != second["village"]:
        reasons.append("village")
    if first["kbli_group"] and second["kbli_group"] and first["kbli_group"] != second["kbli_group"]:
        reasons.append("kbli")
    words = [facts["name_words"] | facts["product_words"] for facts in (first, second)]
    if all(words) and not (words[0] & words[1]):
        reasons.append("business")
    return reasons


def search_key(office: Office) -> str:
    return f"sentra:duplicate-search:{office.pk}"


def queue_duplicate_search(office: Office, *, actor) -> None:
    """Search the office's registry for duplicates on the worker; the page says while it runs."""
    from django.core.cache import cache

    _check(actor, office)
    if cache.add(search_key(office), True, timeout=3600):  # one search at a time per office
        jobs.request_job("linkage.duplicates", office.pk, actor.pk if actor else None)


def duplicate_queue(office: Office):
    return (
        DuplicatePair.objects.filter(office=office, decision__in=[Decision.PENDING, Decision.UNSURE])
        .select_related("first__owner", "first__village", "second__owner", "second__village")
        .order_by("-probability", "id")
    )


def other_business_ids(office: Office) -> list[int]:
    """The office's pairs awaiting a decision that differ in village, KBLI group and business all at once:
    one owner's other business, almost surely, for the officer to mark "berbeda" together."""
    every = OTHER_BUSINESS_REASONS
    return [
        pk
        for pk, evidence in duplicate_queue(office).values_list("pk", "evidence")
        if set(evidence.get("held", [])) == every
    ]


def decide_pairs(office: Office, pair_ids, *, decision: str, actor) -> int:
    """One decision (`different` or `unsure`) for several pairs of the office at once; returns how many."""
    _check(actor, office)
    if decision not in (Decision.DIFFERENT, Decision.UNSURE):
        raise LinkageRefused(
            _("Keputusan bersama hanya untuk “berbeda” atau “ragu”; menggabungkan diputuskan satu per satu.")
        )
    ids = [int(pk) for pk in pair_ids if str(pk).isdigit()]
    return DuplicatePair.objects.filter(
        office=office, pk__in=ids, decision__in=[Decision.PENDING, Decision.UNSURE]
    ).update(decision=decision, decided_by=actor, decided_at=timezone.now())


def decide_pair(pair: DuplicatePair, *, decision: str, actor, keep: Business | None = None) -> Business | None:
    """`same` merges the pair into `keep` (one of the two); `different` and `unsure` are remembered."""
    _check(actor, pair.office)
    if decision == Decision.SAME:
        if keep is None or keep.pk not in (pair.first_id, pair.second_id):
            raise LinkageRefused(_("Pilih UMKM mana yang dipertahankan."))
        merged = pair.second if keep.pk == pair.first_id else pair.first
        return merge_businesses(keep=keep, merged=merged, actor=actor)
    if decision not in (Decision.DIFFERENT, Decision.UNSURE):
        raise LinkageRefused(_("Keputusan tidak dikenal."))
    pair.decision, pair.decided_by, pair.decided_at = decision, actor, timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    return None
