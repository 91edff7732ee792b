"""Schemathesis against the whole API, in process, as a token of Blora that may do everything:
no answer may be a server error, or stray from the status codes, content types and schemas the
OpenAPI document declares. Bounded and seeded: 40 generated examples per operation plus
schemathesis' coverage cases (about 700 calls, 20 s), the same ones every run."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sentra.accounts import tokens
from sentra.accounts.models import TokenScope

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261201,
        "generation": {"max-examples": 40, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), config=CONFIG)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_test_transaction():
    """Django's test client does this too: after each request Django closes 'old' connections,
    which would end the transaction the test's data lives in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def blora_key(users, offices, businesses, keep_the_test_transaction) -> str:
    _token, key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="Schemathesis", scopes=list(TokenScope.values)
    )
    return key


@pytest.mark.django_db
@schema.parametrize()
# One token and one transaction serve every example of an operation: that the fixtures are not
# made anew for each example is what is wanted.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_to_its_schema(case, blora_key):
    # The WSGI test client does not undo the GZip middleware's compression: ask for none.
    headers = {"Authorization": f"Bearer {blora_key}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
