"""Writes that change more than one field or record: small keyword-only functions, used by the admin and commands."""

import reversion
from django.utils.translation import gettext

from hearings.domain import changes
from hearings.models import Hearing


def _set_status(hearings, status, user, comment):
    # One save per hearing, so `updated` moves; the derived data follows once, at the end. Each hearing
    # changed gets a revision of its whole record, so its history says who published it, and when.
    changed = []
    with changes.atomic(), reversion.create_revision():
        for hearing in hearings:
            if hearing.status != status:
                hearing.status = status
                hearing.save(update_fields=["status", "updated"])
                changed.append(hearing)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
    return changed


def publish_hearings(*, hearings, user=None):
    """Make the given hearings public. Returns those that were drafts until now."""
    return _set_status(hearings, Hearing.Status.PUBLISHED, user, gettext("Published"))


def unpublish_hearings(*, hearings, user=None):
    """Take the given hearings back to draft. Returns those that were published until now."""
    return _set_status(hearings, Hearing.Status.DRAFT, user, gettext("Taken back to draft"))
