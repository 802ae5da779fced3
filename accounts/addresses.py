"""Where a request comes from: one answer for the sign-in lockout, the sign-in log and the API's throttle."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address.

    REMOTE_ADDR, unless DJANGO_TRUSTED_PROXY_COUNT says that many proxies stand
    in front of the app servers: each appends the address it saw to
    X-Forwarded-For, so the client's is that many places from the right.
    Anything further left was written by the client and is never trusted. The
    same rule as the API throttle's (REST framework's NUM_PROXIES).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    candidate = addresses[-min(count, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
