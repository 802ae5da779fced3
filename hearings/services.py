"""Writes that change more than one field or record: small keyword-only functions, used by the admin and commands."""

from . import changes
from .models import Hearing


def _set_status(hearings, status):
    # One save per hearing, so `updated` moves; the derived data follows once, at the end.
    changed = []
    with changes.atomic():
        for hearing in hearings:
            if hearing.status != status:
                hearing.status = status
                hearing.save(update_fields=["status", "updated"])
                changed.append(hearing)
    return changed


def publish_hearings(*, hearings):
    """Make the given hearings public. Returns those that were drafts until now."""
    return _set_status(hearings, Hearing.Status.PUBLISHED)


def unpublish_hearings(*, hearings):
    """Take the given hearings back to draft. Returns those that were published until now."""
    return _set_status(hearings, Hearing.Status.DRAFT)
