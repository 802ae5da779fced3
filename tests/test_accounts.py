"""Accounts that resist attack: sign-in lockout.

Sign-ins go through the admin's login form with the test client, as a browser
would; `force_login` stands for a session whose password step is done.
"""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffUserFactory
from tests.support import load_settings

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    user = StaffUserFactory(username="jdoe", groups=["Editors"])
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="192.0.2.1", **extra):
    data = {"username": username, "password": password, "next": INDEX}
    return client.post(LOGIN, data, REMOTE_ADDR=address, **extra)


def can_use_admin(client):
    return client.get(INDEX).status_code == 200


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
