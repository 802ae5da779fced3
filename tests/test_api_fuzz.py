"""Schemathesis against the OpenAPI schema: every endpoint and parameter, generated and hostile values.

Every check runs (Schemathesis's default: all of them): no answer may be a 5xx, every answer must be as the
schema documents it (status, content type, headers, body), every request the schema allows must be accepted
and every request it does not must be refused. Runs on the seed records through the WSGI application,
in-process.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests import schemathesis_hooks  # noqa: F401  (registers the hooks)

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def api_records(seeded, settings):
    settings.API_ANON_RATE = None  # fuzzing sends hundreds of requests from one address
    # As Django's test client does: the WSGI handler must not close the test's connection, whose
    # transaction holds the records, at each request's start and end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema_and_never_fails(case, api_records):
    # Schemathesis's WSGI transport does not undo a Content-Encoding, so the answers are asked for as they are
    # (tests/test_cache_answers.py checks that the compressed answers decode to the same ones).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
