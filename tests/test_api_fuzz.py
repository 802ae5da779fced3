"""Schemathesis against the OpenAPI schema: every endpoint and parameter, generated and hostile values.

Every check runs (Schemathesis's default: all of them): no answer may be a 5xx, every answer must be as the
schema documents it (status, content type, headers, body), every request the schema allows must be accepted
and every request it does not must be refused. Runs on the seed records through the WSGI application,
in-process.
"""

import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# Two rules that no schema can state, each answered with the 400 the schema documents: a slug filter takes the
# slug of a public record (its schema gives a slug's form, a pattern, not the records there are), and the "From"
# date is not after the "Until" date. Schemathesis would count such a request as one the schema allows, refused.
# It cannot know which slugs are records, as it cannot know which ids exist (its answer there is to be given real
# ones), so in a request the schema allows each generated slug is swapped for one of the seed's public records,
# and dates the wrong way round are swapped; requests the schema does not allow keep their values.
SEED_SLUGS = {
    "stakeholder_group": ("civil-society", "trade-unions", "member-states", "academia", "media"),
    "process": (
        "global-compact-for-migration-preparatory-process",
        "high-level-dialogue-on-international-migration-and-development-2013",
    ),
    "organization": ("education-international", "georgetown-university", "international-catholic-migration-commission"),
}


def seed_slug(name, value):
    if not isinstance(value, str) or not value or value in SEED_SLUGS[name]:
        return value  # an empty filter is no filter
    return SEED_SLUGS[name][zlib.crc32(value.encode()) % len(SEED_SLUGS[name])]


@schema.hook
def map_case(context, case):
    if case.meta is None or not case.meta.generation.mode.is_positive or not case.query:
        return case
    query = case.query
    for name in SEED_SLUGS.keys() & query.keys():
        value = query[name]
        query[name] = [seed_slug(name, item) for item in value] if isinstance(value, list) else seed_slug(name, value)
    if query.get("date_after") and query.get("date_before") and query["date_after"] > query["date_before"]:
        query["date_after"], query["date_before"] = query["date_before"], query["date_after"]
    return case


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
    case.call_and_validate()
