"""Schemathesis against the OpenAPI schema: every endpoint and parameter, generated and hostile values.

No answer may be a 5xx, and every answer must conform to the schema. Runs on the
seed records through the WSGI application, in-process.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

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
    # A well-formed slug of no public record is a 400 by design: the schema cannot list the records. And
    # like Django REST framework's pagination everywhere, a page size that is not a number falls back to the default.
    # Schemathesis's WSGI transport does not undo a Content-Encoding, so the answers are asked for as they are
    # (tests/test_cache_answers.py checks that the compressed answers decode to the same ones).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
