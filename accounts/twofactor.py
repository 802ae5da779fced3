"""Two-factor sign-in: a TOTP authenticator app per staff account (django-otp), optional unless ADMIN_REQUIRE_2FA.

An account with a confirmed device always signs in with a code from it. With
ADMIN_REQUIRE_2FA on, an account without one signs in with its password to the
enrolment page alone, and reaches the rest of the admin once it has enrolled.
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def confirmed_device(user):
    """The account's authenticator, or None (enrolment keeps one per account)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_satisfied(request):
    """Whether the signed-in user has passed as many factors as the admin asks of this account."""
    user = request.user
    if user.is_verified():
        return True
    return not settings.ADMIN_REQUIRE_2FA and confirmed_device(user) is None


def needs_enrolment(request):
    """A staff account that signed in with its password but must add an authenticator before using the admin."""
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and settings.ADMIN_REQUIRE_2FA
        and not user.is_verified()
        and confirmed_device(user) is None
    )


def may_enrol(request):
    """Verified accounts, and accounts with no authenticator yet; never a password alone over an existing device."""
    user = request.user
    return user.is_active and user.is_staff and (user.is_verified() or confirmed_device(user) is None)


def verify(device, token):
    """Check a code against the device, with django-otp's throttling of repeated failures. Returns a message or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return "throttled"
        return None if device.verify_token(token) else "invalid"


def pending_device(user):
    """The unconfirmed device an enrolment in progress shows, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm(request, device):
    """Make the device the account's only authenticator and count this session as verified by it."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)


def create_confirmed(user):
    """A new confirmed device replacing any other, for `manage.py enrol_totp`."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def secret(device):
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(device):
    return segno.make(device.config_url, error="m")
