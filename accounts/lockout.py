"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """A 429 in the admin's look saying for how long; nothing the client typed is shown back."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in locked"),
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else 0,
    }
    response = TemplateResponse(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        # Every attempt during the wait starts it again, so the whole cool-off is what a client must wait.
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response.render()
