"""The record of multi-stakeholder hearings: who spoke, when, for whom."""

from .base import BaseModel, RecordModel, SearchableModel, natural_key_manager, new_token
from .derived import DataVersion, HearingGroupIndex
from .groups import StakeholderGroup, StakeholderGroupQuerySet
from .hearings import (
    Appearance,
    AppearanceQuerySet,
    Hearing,
    HearingLink,
    HearingParticipation,
    HearingQuerySet,
    Segment,
    SegmentQuerySet,
)
from .records import Organization, OrganizationQuerySet, Person, PersonQuerySet, Process, Venue

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
