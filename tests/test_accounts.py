"""Accounts that resist attack: sign-in lockout, two-factor sign-in for staff, idle sessions.

Sign-ins go through the admin's login form with the test client, as a browser
would; `force_login` stands for a session whose password step is done.
"""

import datetime
import io
import re
from base64 import b32encode

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearings.models import Hearing
from tests.factories import HearingFactory, StaffUserFactory
from tests.support import load_settings

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
TWO_FACTOR = reverse("admin:two_factor")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    user = StaffUserFactory(username="jdoe", groups=["Editors"])
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="192.0.2.1", token=None, **extra):
    data = {"username": username, "password": password, "next": INDEX}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR=address, **extra)


def can_use_admin(client):
    return client.get(INDEX).status_code == 200


def code(device, offset=0):
    """The code the device's authenticator app shows now (`offset` steps of 30 seconds away)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step, digits=device.digits):06d}"


def device_for(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


# Lockout (django-axes)


def test_defaults_are_five_failures_and_fifteen_minutes(monkeypatch):
    config = load_settings(monkeypatch)

    assert (config["AXES_FAILURE_LIMIT"], config["AXES_COOLOFF_TIME"]) == (5, datetime.timedelta(minutes=15))
    assert config["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]


def test_limits_come_from_the_environment(monkeypatch):
    config = load_settings(monkeypatch, AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60")

    assert (config["AXES_FAILURE_LIMIT"], config["AXES_COOLOFF_TIME"]) == (3, datetime.timedelta(hours=1))


def test_a_user_name_is_locked_after_the_failure_limit_from_any_address(client, editor, settings):
    answers = [
        sign_in(client, "jdoe", "wrong", address=f"192.0.2.{n}").status_code
        for n in range(1, settings.AXES_FAILURE_LIMIT + 1)
    ]
    right_password = sign_in(client, "jdoe", PASSWORD, address="198.51.100.9")

    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert right_password.status_code == 429
    assert "Sign-in locked" in right_password.content.decode()
    assert "Try again in 15 minutes" in right_password.content.decode()
    assert not can_use_admin(client)


def test_an_address_is_locked_after_the_failure_limit_whatever_the_user_names(client, editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.5")

    from_there = sign_in(client, "jdoe", PASSWORD, address="203.0.113.5")
    assert from_there.status_code == 429
    assert not can_use_admin(client)

    from_elsewhere = sign_in(client, "jdoe", PASSWORD, address="192.0.2.20")
    assert (from_elsewhere.status_code, from_elsewhere["Location"]) == (302, INDEX)
    assert can_use_admin(client)


def test_the_lockout_page_is_the_admins_and_echoes_nothing_typed(client, db, settings):
    typed = "<script>alert(1)</script>"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, typed, "wrong")

    body = response.content.decode()
    assert response.status_code == 429
    assert 'id="site-name"' in body and "Hearings records" in body
    assert "Sign-in is locked after 5 failed attempts for this user name or from this address." in body
    assert "alert(1)" not in body


def test_fewer_failures_than_the_limit_then_the_right_password_signs_in_and_starts_again(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "jdoe", "wrong")

    assert sign_in(client, "jdoe", PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0


def test_the_lock_ends_after_the_cool_off(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "jdoe", "wrong")
    assert sign_in(client, "jdoe", PASSWORD).status_code == 429

    # The cool-off passes without another attempt.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    assert sign_in(client, "jdoe", PASSWORD).status_code == 302
    assert can_use_admin(client)


def test_an_administrator_lifts_the_lock_in_the_admin(client, admin_client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "jdoe", "wrong")
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "jdoe" in attempts.content.decode()

    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert AccessAttempt.objects.count() == 0
    assert sign_in(client, "jdoe", PASSWORD).status_code == 302


def test_axes_reset_username_lifts_the_lock_from_the_command_line(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "jdoe", "wrong")

    call_command("axes_reset_username", "jdoe", stdout=io.StringIO())

    assert sign_in(client, "jdoe", PASSWORD).status_code == 302


def test_behind_trusted_proxies_the_client_address_counts_not_the_proxys(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client's own X-Forwarded-For entries (left of the proxy's) change nothing.
        sign_in(client, f"guess{n}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in(client, "jdoe", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.20").status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in(client, "jdoe", PASSWORD, address="203.0.113.5").status_code == 429


def test_failures_and_the_lockout_are_in_the_log(client, editor, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 2
    with caplog.at_level("WARNING", logger="accounts.signals"):
        sign_in(client, "jdoe", "wrong", address="192.0.2.7")
        sign_in(client, "jdoe", "wrong", address="192.0.2.7")

    assert [r.getMessage() for r in caplog.records if r.name == "accounts.signals"] == [
        "failed login for user name 'jdoe' from 192.0.2.7",
        "sign-in refused: user name 'jdoe' or address 192.0.2.7 is locked out",
        "failed login for user name 'jdoe' from 192.0.2.7",
    ]


# Two-factor sign-in (django-otp)


def test_the_login_form_asks_for_the_authenticator_code(client, db):
    body = client.get(LOGIN).content.decode()

    assert 'name="otp_token"' in body
    assert 'autocomplete="one-time-code"' in body
    assert "Only if your account has an authenticator app" in body


@pytest.mark.parametrize("required", [False, True])
def test_an_account_with_a_device_needs_its_code(client, editor, settings, required):
    settings.ADMIN_REQUIRE_2FA = required
    device = device_for(editor)

    without = sign_in(client, "jdoe", PASSWORD)
    assert without.status_code == 200
    assert "Enter the six-digit code your authenticator app shows" in without.content.decode()
    assert not can_use_admin(client)

    wrong = sign_in(client, "jdoe", PASSWORD, token="000000" if code(device) != "000000" else "111111")
    assert "That code is not right" in wrong.content.decode()
    assert not can_use_admin(client)

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp otherwise makes the next try wait a second
    right = sign_in(client, "jdoe", PASSWORD, token=code(device))
    assert (right.status_code, right["Location"]) == (302, INDEX)
    assert can_use_admin(client)


def test_a_password_alone_never_reaches_the_admin_of_an_account_with_a_device(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device_for(editor)
    client.force_login(editor)

    index = client.get(INDEX)
    enrolment = client.get(TWO_FACTOR)  # nor replaces its device

    assert (index.status_code, index["Location"]) == (302, f"{LOGIN}?next={INDEX}")
    assert enrolment.status_code == 302 and enrolment["Location"].startswith(LOGIN)


def test_wrong_codes_count_towards_the_lockout(client, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = device_for(editor)
    wrong = "000000" if code(device) != "000000" else "111111"
    answers = [sign_in(client, "jdoe", PASSWORD, token=wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert answers[-1] == 429
    assert sign_in(client, "jdoe", PASSWORD, token=code(device)).status_code == 429


def test_without_the_requirement_an_account_without_device_signs_in_with_its_password(client, editor):
    assert sign_in(client, "jdoe", PASSWORD).status_code == 302
    assert can_use_admin(client)


def test_with_the_requirement_an_account_without_device_is_told_to_enrol_and_kept_out(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True

    signed_in = sign_in(client, "jdoe", PASSWORD)
    told = client.get(INDEX, follow=True)

    assert signed_in.status_code == 302
    assert told.redirect_chain[-1] == (TWO_FACTOR, 302)
    assert "Two-factor sign-in is required for staff accounts, and yours has no authenticator app yet." in (
        told.content.decode()
    )
    assert client.get(reverse("admin:hearings_hearing_changelist")).status_code == 302


def test_staff_enrol_on_the_two_factor_page_without_javascript(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    sign_in(client, "jdoe", PASSWORD)

    page = client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    body = page.content.decode()
    key = b32encode(device.bin_key).decode()
    assert " ".join(re.findall(".{1,4}", key)) in body
    assert "otpauth://totp/Hearings%20records%3Ajdoe?secret=" + key in body
    assert re.search(r"<svg [^>]*><title>QR code of the key for your authenticator app</title>", body)
    assert "<script" not in body.split('id="content-main"')[1]

    wrong = client.post(TWO_FACTOR, {"otp_token": "12"})
    assert "That code is not right" in wrong.content.decode()
    assert not can_use_admin(client)

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    confirmed = client.post(TWO_FACTOR, {"otp_token": code(device)})
    assert (confirmed.status_code, confirmed["Location"]) == (302, INDEX)
    assert can_use_admin(client)
    assert list(TOTPDevice.objects.filter(user=editor).values_list("pk", "confirmed")) == [(device.pk, True)]


def test_an_account_told_to_enrol_can_sign_out(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    sign_in(client, "jdoe", PASSWORD)

    response = client.post(TWO_FACTOR, {"sign_out": ""})

    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert "_auth_user_id" not in client.session


def test_enrol_totp_prints_the_key_address_and_qr_code_and_creates_a_device(editor):
    out = io.StringIO()
    call_command("enrol_totp", "jdoe", stdout=out, stderr=io.StringIO())

    device = TOTPDevice.objects.get(user=editor)
    key = b32encode(device.bin_key).decode()
    printed = out.getvalue()
    assert device.confirmed
    assert f"Key (base32): {' '.join(re.findall('.{1,4}', key))}" in printed
    assert f"Address: otpauth://totp/Hearings%20records%3Ajdoe?secret={key}&algorithm=SHA1&digits=6&period=30" in (
        printed
    )
    assert "█" in printed  # the QR code, in block characters


def test_enrol_totp_replaces_a_device_only_when_asked(editor, tmp_path):
    first = device_for(editor)

    with pytest.raises(CommandError, match="already has an authenticator device"):
        call_command("enrol_totp", "jdoe", stdout=io.StringIO())
    call_command("enrol_totp", "jdoe", "--replace", "--no-qr", "--svg", str(tmp_path / "qr.svg"), stdout=io.StringIO())

    assert list(TOTPDevice.objects.filter(user=editor).values_list("pk", flat=True)) != [first.pk]
    assert TOTPDevice.objects.filter(user=editor).count() == 1
    assert (tmp_path / "qr.svg").read_text().startswith("<?xml")


def test_enrol_totp_refuses_an_unknown_user_name(db):
    with pytest.raises(CommandError, match="No account has the user name 'nobody'"):
        call_command("enrol_totp", "nobody", stdout=io.StringIO())


def test_a_code_from_the_command_signs_in(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    call_command("enrol_totp", "jdoe", "--no-qr", stdout=io.StringIO())

    response = sign_in(client, "jdoe", PASSWORD, token=code(TOTPDevice.objects.get(user=editor)))

    assert response.status_code == 302
    assert can_use_admin(client)


def test_a_staff_password_without_its_code_previews_no_draft(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    draft = HearingFactory(status=Hearing.Status.DRAFT)
    device = device_for(editor)
    client.force_login(editor)  # the password step alone

    assert client.get(draft.get_absolute_url()).status_code == 404

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.logout()
    sign_in(client, "jdoe", PASSWORD, token=code(device))
    assert client.get(draft.get_absolute_url()).status_code == 200


# Idle sessions


def test_sessions_last_eight_idle_hours_unless_configured(monkeypatch):
    assert load_settings(monkeypatch)["SESSION_COOKIE_AGE"] == 8 * 3600
    assert load_settings(monkeypatch, SESSION_IDLE_HOURS="0.5")["SESSION_COOKIE_AGE"] == 1800


def test_each_admin_request_moves_the_expiry_on(client, editor, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(editor)
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    response = client.get(INDEX)

    assert response.cookies["sessionid"]["max-age"] == 3600
    expiry = Session.objects.get(pk=session.pk).expire_date
    assert abs((expiry - timezone.now()) - datetime.timedelta(hours=1)) < datetime.timedelta(minutes=1)


def test_a_session_idle_past_its_age_is_signed_out(client, editor):
    client.force_login(editor)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(INDEX)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={INDEX}")


def test_public_pages_never_touch_an_editors_session(client, editor):
    client.force_login(editor)
    anonymous = type(client)()

    for visitor in (client, anonymous):
        response = visitor.get("/hearings/")
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
        assert "Cookie" not in response.get("Vary", "")


def test_the_password_validators_stay_on(settings):
    assert [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
