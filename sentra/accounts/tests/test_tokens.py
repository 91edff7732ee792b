"""API tokens as services: who may make and revoke them, what a token may do, and when a key stops opening."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from sentra.accounts import tokens
from sentra.accounts.models import ApiToken, Role, TokenScope
from sentra.audit.models import ObjectChange
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db
READ = [TokenScope.REGISTRY_READ]


def test_an_office_admin_makes_a_token_that_acts_as_a_viewer_of_the_office(users, offices):
    token, key = tokens.create_token(actor=users["blora_admin"], office=offices["blora"], name="Survei", scopes=READ)
    assert key.startswith(f"sentra_{token.prefix}_") and len(key) > 50
    assert token.key_hash == tokens.hash_key(key) and key not in token.key_hash  # only the hash is kept
    user = token.service_user
    assert (user.office, user.role, user.is_staff, user.has_usable_password()) == (
        offices["blora"],
        Role.VIEWER,
        False,
        False,
    )
    assert tokens.authenticate_token(key) == token


def test_a_write_scope_makes_an_officer_and_brings_read_along(users, offices):
    token, _key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="Survei", scopes=[TokenScope.REGISTRY_WRITE]
    )
    assert token.scopes == ["registry:read", "registry:write"]
    assert token.service_user.role == Role.OFFICER
    assert token.grants("registry:write") and token.grants("registry:read") and not token.grants("regions:read")


@pytest.mark.parametrize("actor", ["blora_officer", "blora_viewer", "pesawaran_admin"])
def test_only_the_office_admin_or_a_superuser_makes_the_office_tokens(users, offices, actor):
    users["pesawaran_admin"] = make_user("pesawaran_admin", offices["pesawaran"], Role.ADMIN, is_staff=True)
    with pytest.raises(PermissionDenied):
        tokens.create_token(actor=users[actor], office=offices["blora"], name="x", scopes=READ)
    token, _key = tokens.create_token(actor=users["superuser"], office=offices["blora"], name="x", scopes=READ)
    assert token.office == offices["blora"]


def test_a_token_cannot_write_where_its_creator_could_not(users, offices):
    province_admin = make_user("jateng_admin", offices["jateng"], Role.ADMIN)  # may_edit_province not granted
    with pytest.raises(ValidationError):
        tokens.create_token(actor=province_admin, office=offices["jateng"], name="x", scopes=["registry:write"])
    province_admin.may_edit_province = True
    province_admin.save()
    token, _key = tokens.create_token(
        actor=province_admin, office=offices["jateng"], name="x", scopes=["registry:write"]
    )
    assert token.grants("registry:write")
    province_admin.may_edit_province = False  # the grant taken back: the token writes no more
    province_admin.save()
    assert not ApiToken.objects.select_related("created_by__office").get(pk=token.pk).grants("registry:write")


@pytest.mark.parametrize(
    "scopes,expires_on",
    [([], None), (["registry:delete"], None), (READ, dt.date(2020, 1, 1)), (READ, "today")],
)
def test_a_token_needs_known_scopes_and_an_expiry_after_today(users, offices, scopes, expires_on):
    expires_on = timezone.localdate() if expires_on == "today" else expires_on
    with pytest.raises(ValidationError):
        tokens.create_token(
            actor=users["blora_admin"], office=offices["blora"], name="x", scopes=scopes, expires_on=expires_on
        )


def test_making_and_revoking_are_in_the_change_log_without_the_hash(users, offices):
    token, _key = tokens.create_token(actor=users["blora_admin"], office=offices["blora"], name="Survei", scopes=READ)
    tokens.revoke_token(actor=users["blora_admin"], token=token)
    changes = ObjectChange.objects.filter(object_id=token.pk, content_type__model="apitoken").order_by("time", "id")
    assert [change.action for change in changes] == ["create", "update"]
    assert changes[1].postchange_data["revoked_at"] and changes[0].postchange_data["prefix"] == token.prefix
    assert token.key_hash not in str([change.postchange_data for change in changes])


@pytest.mark.parametrize("actor", ["blora_officer", "blora_viewer", "pesawaran_officer"])
def test_only_the_office_admin_revokes(users, offices, actor):
    token, key = tokens.create_token(actor=users["blora_admin"], office=offices["blora"], name="x", scopes=READ)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(actor=users[actor], token=token)
    assert tokens.authenticate_token(key) == token
    tokens.revoke_token(actor=users["superuser"], token=token)
    with pytest.raises(tokens.InvalidToken, match="dicabut") as refused:
        tokens.authenticate_token(key)
    assert refused.value.token == token  # known, so its attempt can be logged
    token.service_user.refresh_from_db()
    assert not token.service_user.is_active


@pytest.mark.parametrize(
    "key",
    ["", "sentra", "sentra__", "bearer-nonsense", "sentra_zzzzzzzz_secret", "sentra_{prefix}_wrong-secret"],
)
def test_unknown_keys_open_nothing(users, offices, key):
    token, _right = tokens.create_token(actor=users["blora_admin"], office=offices["blora"], name="x", scopes=READ)
    with pytest.raises(tokens.InvalidToken, match="tidak dikenal") as refused:
        tokens.authenticate_token(key.format(prefix=token.prefix))
    assert refused.value.token is None


def test_an_expired_token_is_refused_from_the_day_after_its_last(users, offices):
    last_day = timezone.localdate() + dt.timedelta(days=3)
    token, key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="x", scopes=READ, expires_on=last_day
    )
    assert token.refusal(last_day) is None
    assert "kedaluwarsa" in token.refusal(last_day + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(tokens.InvalidToken, match="kedaluwarsa"):
        tokens.authenticate_token(key)


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": Role.OFFICER}, {"office": "pesawaran"}])
def test_a_token_stops_when_its_creator_is_no_longer_an_active_admin_of_the_office(users, offices, change):
    admin = users["blora_admin"]
    token, key = tokens.create_token(actor=admin, office=offices["blora"], name="x", scopes=READ)
    for field, value in change.items():
        setattr(admin, field, offices[value] if field == "office" else value)
    admin.save()
    with pytest.raises(tokens.InvalidToken, match="admin aktif"):
        tokens.authenticate_token(key)


def test_a_superusers_token_sees_only_its_office(users, offices, businesses):
    token, key = tokens.create_token(actor=users["superuser"], office=offices["blora"], name="x", scopes=READ)
    service_user = tokens.authenticate_token(key).service_user
    visible = set(Business.objects.restrict(service_user).values_list("name", flat=True))
    assert visible == {"Batik Sekar Jati", "Parcel Barokah"}


def test_office_admins_see_their_office_tokens_superusers_all(users, offices):
    blora, _key = tokens.create_token(actor=users["blora_admin"], office=offices["blora"], name="a", scopes=READ)
    other, _key = tokens.create_token(actor=users["superuser"], office=offices["pesawaran"], name="b", scopes=READ)
    assert list(tokens.tokens_visible_to(users["blora_admin"])) == [blora]
    assert set(tokens.tokens_visible_to(users["superuser"])) == {blora, other}
    assert list(tokens.tokens_visible_to(users["blora_officer"])) == []
    assert list(tokens.tokens_visible_to(blora.service_user)) == []  # a token never manages tokens
