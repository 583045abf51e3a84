"""Property-based run of the whole OpenAPI document (schemathesis): for every operation, generated parameters
with a valid province token answer without a server error, with a documented status and content type, and with
a body that matches the documented schema. Bounded (25 examples per operation); runs once, in the PostgreSQL
pass (marker ``once``)."""

import uuid

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kechuang.api.endpoints import api

pytestmark = pytest.mark.once

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The document exactly as /api/v1/openapi.json serves it (test_docs checks that URL); requests go to the WSGI app
# in this process, so they see the test database.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.API_RATE_LIMIT = 1_000_000
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI handler's end-of-request hook would close the connection that holds
    the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_conforms_to_its_document(case, world):
    raw, _token = world.tokens["province"]
    params = case.path_parameters or {}
    if "filing_id" in params:
        # Half the cases on a real filing (and its real attachment), so the 200 answers are checked too.
        generated = uuid.UUID(str(params["filing_id"])) if _is_uuid(params["filing_id"]) else None
        if generated is None or generated.int % 2 == 0:
            params["filing_id"] = str(world.filings["done"].public_id)
            if "attachment_id" in params and (not _is_uuid(params["attachment_id"]) or generated is None):
                params["attachment_id"] = str(world.attachments["done"].public_id)
    response = case.call(headers={"Authorization": f"Bearer {raw}"})
    case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
