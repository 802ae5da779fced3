"""The operator's log of sign-ins that failed and of the lockouts they caused."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .addresses import client_address

logger = logging.getLogger(__name__)


def _origin(request):
    if request is None:
        return "an unknown address"
    address = client_address(request) or "an unknown address"
    forwarded = request.headers.get("X-Forwarded-For", "")
    return f"{address} (forwarded for {forwarded})" if forwarded else address


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    """Failed sign-ins (a wrong password, a wrong authenticator code, or any attempt while locked out)."""
    logger.warning("failed login for user name %r from %s", credentials.get("username", ""), _origin(request))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    """Each attempt refused by the lockout, the one that reached the limit first."""
    logger.warning("sign-in refused: user name %r or address %s is locked out", username, ip_address)
