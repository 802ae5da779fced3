"""The record of multi-stakeholder hearings: who spoke, when, for whom."""

from hearings.models.base import BaseModel, RecordModel, SearchableModel, natural_key_manager, new_token
from hearings.models.derived import DataVersion, HearingGroupIndex
from hearings.models.groups import StakeholderGroup, StakeholderGroupQuerySet
from hearings.models.hearings import (
    Appearance,
    AppearanceQuerySet,
    Hearing,
    HearingLink,
    HearingParticipation,
    HearingQuerySet,
    Segment,
    SegmentQuerySet,
)
from hearings.models.records import Organization, OrganizationQuerySet, Person, PersonQuerySet, Process, Venue

__all__ = [
    "Appearance",
    "AppearanceQuerySet",
    "BaseModel",
    "DataVersion",
    "Hearing",
    "HearingGroupIndex",
    "HearingLink",
    "HearingParticipation",
    "HearingQuerySet",
    "Organization",
    "OrganizationQuerySet",
    "Person",
    "PersonQuerySet",
    "Process",
    "RecordModel",
    "SearchableModel",
    "Segment",
    "SegmentQuerySet",
    "StakeholderGroup",
    "StakeholderGroupQuerySet",
    "Venue",
    "natural_key_manager",
    "new_token",
]
