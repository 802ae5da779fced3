"""Schemathesis hooks for the API's fuzzing: the suite's (tests/test_api_fuzz.py) and a run from the command line
against a server with the seed records:

    SCHEMATHESIS_HOOKS=tests.schemathesis_hooks schemathesis run --checks all http://127.0.0.1:8000/api/schema/
"""

import zlib

import schemathesis

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


@schemathesis.hook
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
