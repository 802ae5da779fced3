"""Made-up records for trying the site at size; `manage.py generate_demo_data` runs them.

Every generated row is marked: its slug starts with ``demo-``, the hearings sit
in a process of their own ("Generated demo process") and their titles start
with "[Demo]"; people, organizations and groups carry a second mark (see
MARK and WEBSITE), and `--delete` needs both. Names of people, countries and organizations are built from
syllables, so they belong to no one. Stakeholder groups are the existing
taxonomy; only when there is none is a small ``demo-`` taxonomy created.

The same seed and number of hearings give the same records, given the same
stakeholder groups (and names of people on record, which made-up names avoid).
"""

from hearings.demo.generator import generate
from hearings.demo.records import (
    Counts,
    DemoDataExists,
    delete_generated,
    generated_counts,
    generated_groups,
    generated_hearings,
    generated_organizations,
    generated_people,
    generated_process,
    generated_venues,
)
from hearings.demo.vocabulary import DEMO_GROUPS, MAX_HEARINGS, PROCESS_NAME, PROCESS_SLUG, TITLE_PREFIX, VENUES

__all__ = [
    "DEMO_GROUPS",
    "MAX_HEARINGS",
    "PROCESS_NAME",
    "PROCESS_SLUG",
    "TITLE_PREFIX",
    "VENUES",
    "Counts",
    "DemoDataExists",
    "delete_generated",
    "generate",
    "generated_counts",
    "generated_groups",
    "generated_hearings",
    "generated_organizations",
    "generated_people",
    "generated_process",
    "generated_venues",
]
