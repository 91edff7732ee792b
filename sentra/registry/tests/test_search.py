"""Word-prefix search over business, owner and product names (FTS5 on SQLite, GIN on PostgreSQL)."""

import pytest
from django.db import connection

from conftest import make_business
from sentra.registry.models import Business, Person, Product
from sentra.registry.search import filter_by_search, fold, search_text_for


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ('Kripik Pisang "Bu Siti"', "kripik pisang bu siti"),
        ("Kafé Ñusantara", "kafe nusantara"),
        ("UD. Maju-Jaya 2", "ud maju jaya 2"),
        ("  Batik   Tulis\tLasem\n", "batik tulis lasem"),
        ("Warung Jum'at", "warung jum at"),
        ("Sambal Bu Rudy 🌶️", "sambal bu rudy"),
        ("ＡＢＣ", "abc"),  # full-width letters fold by compatibility
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_text_for_joins_business_owner_and_products():
    assert search_text_for("Kafé Ñusantara", "Dewi Lestari", ["Kopi Gayo", "Teh Tarik"]) == (
        "kafe nusantara dewi lestari kopi gayo teh tarik"
    )


@pytest.fixture
def shops(db) -> dict[str, Business]:
    keripik = make_business("18.09.01.2001", "Keripik Pisang Way Lima", owner_name="Ahmad Fauzi")
    Product.objects.create(business=keripik, name="Keripik Singkong Balado")
    keripik.save()  # picks up the product name, as the services do
    batik = make_business("33.16.01.2001", "Batik Tulis Sekar Jati", owner_name="Siti Aminah")
    Product.objects.create(business=batik, name="Kain Batik Cap")
    batik.save()
    return {
        "keripik": keripik,
        "batik": batik,
        "kafe": make_business("33.16.01.2002", "Kafé Ñusantara", owner_name="Dewi Lestari"),
        "warung": make_business("33.16.01.2002", "Warung Pisang Goreng", owner_name="Ahmad Dahlan"),
    }


def found(shops, query: str, queryset=None) -> set[str]:
    by_pk = {business.pk: key for key, business in shops.items()}
    result = filter_by_search(Business.objects.all() if queryset is None else queryset, query)
    return {by_pk[pk] for pk in result.values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("keripik", {"keripik"}),
        ("KERIPIK", {"keripik"}),
        ("kerip", {"keripik"}),  # word prefix
        ("ripik", set()),  # not inside a word
        ("pisang", {"keripik", "warung"}),
        ("pisang goreng", {"warung"}),  # every word must match
        ("goreng pisang", {"warung"}),  # in any order
        ("pisang batik", set()),
        ("ahmad", {"keripik", "warung"}),  # owner names
        ("fauzi", {"keripik"}),
        ("siti batik", {"batik"}),  # owner and business name together
        ("singkong", {"keripik"}),  # product names
        ("balado kerip", {"keripik"}),
        ("kain cap", {"batik"}),
        ("kafe", {"kafe"}),
        ("kafé", {"kafe"}),  # accents fold on both sides
        ("ÑUSANTARA", {"kafe"}),
        ("nusan", {"kafe"}),
        ("Kafé   Ñusantara!", {"kafe"}),
        ("warung-pisang", {"warung"}),  # punctuation splits words
    ],
)
def test_word_prefix_search(shops, query, expected):
    assert found(shops, query) == expected


@pytest.mark.parametrize("query", ["", "   ", "!!!", "—"])
def test_query_without_words_does_not_filter(shops, query):
    assert found(shops, query) == set(shops)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pisang OR batik", set()),  # no FTS/tsquery operators: OR is just a word
        ('pisang" OR "batik', set()),
        ("NEAR(pisang goreng)", set()),
        ("-pisang", {"keripik", "warung"}),
        ("batik*", {"batik"}),
        ("pisang & !goreng", {"warung"}),
        ("pisang | batik", set()),
        ("pisang:*", {"keripik", "warung"}),
        ("'; DROP TABLE registry_business; --", set()),
    ],
)
def test_operators_in_the_query_are_plain_words(shops, query, expected):
    assert found(shops, query) == expected
    assert Business.objects.count() == len(shops)


def test_search_narrows_the_given_queryset(shops):
    in_blora = Business.objects.filter(regency_id="33.16")
    assert found(shops, "pisang", in_blora) == {"warung"}
    assert found(shops, "ahmad", Business.objects.none()) == set()


def test_index_follows_a_renamed_business(shops):
    business = shops["warung"]
    business.name = "Warung Tahu Campur"
    business.save()
    assert found(shops, "goreng") == set()
    assert found(shops, "pisang") == {"keripik"}
    assert found(shops, "tahu campur") == {"warung"}


def test_index_follows_a_renamed_owner(shops):
    business = shops["kafe"]
    Person.objects.filter(pk=business.owner_id).update(full_name="Dewi Sartika")
    business = Business.objects.get(pk=business.pk)
    business.save(update_fields=["search_text", "updated_at"])
    assert found(shops, "lestari") == set()
    assert found(shops, "sartika") == {"kafe"}


def test_index_follows_products(shops):
    business = shops["batik"]
    Product.objects.filter(business=business).update(name="Selendang Sutra")
    business.save(update_fields=["search_text", "updated_at"])
    assert found(shops, "kain") == set()
    assert found(shops, "selendang") == {"batik"}
    Product.objects.filter(business=business).delete()
    business.save(update_fields=["search_text", "updated_at"])
    assert found(shops, "selendang") == set()
    assert found(shops, "batik") == {"batik"}


def test_index_forgets_a_deleted_business(shops):
    shops["keripik"].delete()
    del shops["keripik"]
    assert found(shops, "pisang") == {"warung"}
    assert found(shops, "singkong") == set()
    assert found(shops, "") == {"batik", "kafe", "warung"}


def test_new_business_is_searchable_at_once(shops):
    created = make_business("33.16.01.2001", "Tempe Mendoan Barokah", owner_name="Joko Susilo")
    shops["tempe"] = created
    assert found(shops, "mendoan") == {"tempe"}
    assert found(shops, "joko") == {"tempe"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 index exists on SQLite only")
def test_sqlite_fts_index_stays_consistent_after_updates_and_deletes(shops):
    shops["warung"].name = "Warung Tahu Campur"
    shops["warung"].save()
    shops["kafe"].delete()
    Product.objects.filter(business=shops["batik"]).delete()
    shops["batik"].save(update_fields=["search_text", "updated_at"])
    with connection.cursor() as cursor:
        # rank=1 compares the index with the content table; raises "database disk image is malformed"
        # when they disagree.
        cursor.execute("INSERT INTO registry_business_fts(registry_business_fts, rank) VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM registry_business_fts WHERE registry_business_fts MATCH %s", ['"warung"*'])
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vector exists on PostgreSQL only")
def test_postgresql_search_vector_is_generated_and_indexed(db):
    business = make_business("33.16.01.2001", "Warung Lama")
    business.name = "Kedai Baru"
    business.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'registry_business_search_vector_gin'")
        [(definition,)] = cursor.fetchall()
        cursor.execute("SELECT search_vector::text FROM registry_business WHERE id = %s", [business.pk])
        [(vector,)] = cursor.fetchall()
    assert "gin (search_vector)" in definition
    assert "'kedai'" in vector and "'warung'" not in vector
    with connection.cursor() as cursor:  # the list's searches check the vector in the name index
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'business_regency_name_search'")
        [(definition,)] = cursor.fetchall()
    assert "(regency_id, name, id) INCLUDE (archived_at, bulk_write_id, search_vector)" in definition


@pytest.mark.parametrize("frequent_from", [1, 1_000_000])
def test_frequent_and_rare_words_find_the_same(db, settings, frequent_from):
    """SQLite plans a frequent word differently; the answer must not change."""
    settings.REGISTRY_SEARCH_FREQUENT_MATCHES = frequent_from
    for number in range(3):
        make_business("33.16.01.2001", f"Batik Motif {number}")
    make_business("33.16.01.2001", "Parcel Lebaran")
    found = filter_by_search(Business.objects.order_by("name"), "batik mot")
    assert [b.name for b in found] == ["Batik Motif 0", "Batik Motif 1", "Batik Motif 2"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite asks how frequent a word is")
def test_a_words_frequency_is_counted_once_for_a_while(db, settings, django_assert_num_queries, monkeypatch):
    from sentra.registry import search

    settings.REGISTRY_SEARCH_FREQUENT_MATCHES = 2
    for number in range(3):
        make_business("33.16.01.2001", f"Zamrud {number}")
    with django_assert_num_queries(2):  # how frequent the word is, then the search
        assert len(filter_by_search(Business.objects.all(), "zamrud")) == 3
    with django_assert_num_queries(1):  # the frequency is known: the search only
        assert len(filter_by_search(Business.objects.all(), "zamrud")) == 3
    assert search._is_frequent_on_sqlite('"zamrud"*', "default")
    monkeypatch.setattr(search, "FREQUENCY_SECONDS", 0.0)  # once it is old, it is counted again
    with django_assert_num_queries(2):
        assert len(filter_by_search(Business.objects.all(), "zamrud")) == 3


@pytest.mark.parametrize("frequent_from", [1, 1_000_000])
def test_a_searched_queryset_works_inside_another_query(shops, settings, frequent_from):
    """The "moved up" filter asks for `business__in=<the searched list>`, where the table is renamed U0."""
    settings.REGISTRY_SEARCH_FREQUENT_MATCHES = frequent_from
    searched = filter_by_search(Business.objects.all(), "pisang")
    assert set(Business.objects.filter(pk__in=searched.values("pk"))) == set(searched)
    products = Product.objects.filter(business__in=searched.values("pk"))
    assert {product.name for product in products} == {"Keripik Singkong Balado"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS triggers exist on SQLite only")
def test_sqlite_search_triggers_survive_every_migration(db):
    """SQLite rebuilds a table to alter a column, dropping its triggers; migrations must put them back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'registry_business'")
        names = {name for (name,) in cursor.fetchall()}
    assert {"registry_business_fts_ai", "registry_business_fts_ad", "registry_business_fts_au"} <= names
