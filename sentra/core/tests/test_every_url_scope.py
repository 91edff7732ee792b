"""Every URL that names a record, in every namespace and the API, as users outside its office.

One record of every kind belongs to the Blora cooperative office, and each has the
same id (ID), so any URL's ids all name Blora's: a business, its owner, product,
licence and channel, an import, an agency list with its row and candidate, a
duplicate pair, a merge, a report, an API token. Another regency's officer and a
partner agency that fosters none of it get nothing from any of them, by GET or
POST; a province user, who may read the province's businesses, gets nothing of
what the office owns. A new URL whose view skips the gate (`restrict`) fails here.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_nik
from sentra.accounts.models import ApiToken
from sentra.accounts.tokens import create_token
from sentra.imports.models import ImportBatch, ImportRow
from sentra.linkage.models import Candidate, DuplicatePair, Merge, Source, SourceRecord
from sentra.registry.models import Business, DigitalChannel, Licence, Person, PersonProposal, Product
from sentra.reports.models import Report

pytestmark = pytest.mark.django_db

ID = 7001
SECRET = "Rahasia Kantor Blora"  # every Blora record's name: it must never show outside Blora
# Sample values for the URL parameters that are not ids.
SLUGS = {"tab": "profil", "kind": "produk", "level": "village"}
# Namespaces whose URLs name no office's record (the admin has its own tests: test_admin_*).
SKIPPED_NAMESPACES = {"admin", "regions"}
SKIPPED_NAMES = {"public_media"}
# What a POST sends, where a URL reads a body before the record (the API checks the body first).
BODIES = {"api:verify_business_status": {"status": "dormant"}}
# Records that go with a business, which a province user may read: a merge is the kept business's history.
WITH_A_BUSINESS = ("registry:", "api:", "linkage:merge_detail")


def visit(client, method: str, name: str, kwargs: dict):
    url = reverse(name, kwargs=kwargs)
    if method == "post" and name in BODIES:
        return url, client.post(url, BODIES[name], content_type="application/json")
    return url, getattr(client, method)(url)


def _patterns(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def urls_naming_a_record() -> list[tuple[str, dict]]:
    """(name, kwargs) of every URL with an id in it, the ids all ID."""
    found = []
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        converters = pattern.pattern.converters
        if namespace in SKIPPED_NAMESPACES or pattern.name in SKIPPED_NAMES or not converters:
            continue
        kwargs = {name: SLUGS.get(name, ID) for name in converters}
        found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, kwargs))
    return found


@pytest.fixture
def blora_records(offices, users):
    blora, officer = offices["blora"], users["blora_officer"]
    owner = Person.objects.create(pk=ID, nik=make_nik("33.16.01", day=52), full_name=SECRET, sex="P")
    business = Business.objects.create(pk=ID, name=SECRET, owner=owner, village_id="33.16.01.2001")
    other = Business.objects.create(pk=ID + 1, name=f"{SECRET} Dua", owner=owner, village_id="33.16.01.2001")
    for one in (business, other):
        one.fostering_offices.set([blora])
    Product.objects.create(pk=ID, business=business, name=SECRET)
    Licence.objects.create(pk=ID, business=business, kind="pirt", number="2063316010123-25")
    DigitalChannel.objects.create(pk=ID, business=business, kind="instagram", name=SECRET)
    PersonProposal.objects.create(pk=ID, person=owner, business=business, office=blora, proposed_by=officer)
    batch = ImportBatch.objects.create(pk=ID, office=blora, file_name=f"{SECRET}.xlsx", created_by=officer)
    ImportRow.objects.create(batch=batch, sheet="umkm", number=2, outcome="rejected", cells=[SECRET])
    source = Source.objects.create(pk=ID, office=blora, name=SECRET, file_name=f"{SECRET}.xlsx")
    record = SourceRecord.objects.create(pk=ID, source=source, row_number=2, business_name=SECRET, data={})
    Candidate.objects.create(pk=ID, record=record, business=business, probability=0.9)
    DuplicatePair.objects.create(pk=ID, office=blora, first=business, second=other, probability=0.9)
    Merge.objects.create(pk=ID, keep=business, merged_id=ID + 2, merged_name=SECRET, merged_by=officer)
    Report.objects.create(
        pk=ID, office=blora, created_by=officer, area_code="33.16", area_name=SECRET,
        start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
    )  # fmt: skip
    token, _key = create_token(actor=users["blora_admin"], office=blora, name=SECRET, scopes=["registry:read"])
    ApiToken.objects.filter(pk=token.pk).update(id=ID)
    return business


def test_every_kind_of_record_is_named_by_some_url():
    """The battery reaches each app: a namespace left out would go untested."""
    namespaces = {name.split(":")[0] for name, _kwargs in urls_naming_a_record() if ":" in name}
    assert {"accounts", "registry", "imports", "linkage", "reports", "api"} <= namespaces


@pytest.mark.parametrize("name,kwargs", urls_naming_a_record())
@pytest.mark.parametrize("username", ["pesawaran_officer", "industry_officer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_url_shows_or_changes_another_offices_record(client, users, blora_records, name, kwargs, username, method):
    client.force_login(users[username])
    url, response = visit(client, method, name, kwargs)
    assert response.status_code in (403, 404, 405), f"{method.upper()} {url} answered {response.status_code}"
    assert SECRET not in response.content.decode(errors="replace")
    business = Business.objects.get(pk=ID)  # nothing archived, merged, renamed or verified
    assert (business.name, business.status, business.archived_at) == (SECRET, "active", None)


@pytest.mark.parametrize(
    "name,kwargs",
    [(name, kwargs) for name, kwargs in urls_naming_a_record() if not name.startswith(WITH_A_BUSINESS)],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_province_user_gets_nothing_an_office_owns(client, users, blora_records, name, kwargs, method):
    """The province's businesses are theirs to read (the registry's own scope tests); Blora's imports,
    agency lists, pairs, merges, reports and tokens are not."""
    client.force_login(users["jateng_officer"])
    url, response = visit(client, method, name, kwargs)
    assert response.status_code in (403, 404, 405), f"{method.upper()} {url} answered {response.status_code}"
    assert SECRET not in response.content.decode(errors="replace")
