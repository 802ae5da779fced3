"""Two-factor enrolment and the lockout page in a browser: no JavaScript of ours, no WCAG violation."""

from base64 import b32decode

from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.support import describe_violations, run_axe

PASSWORD = "a long editor password"


def code(key, steps_ahead=0):
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def sign_in(page, url, password, token=""):
    page.goto(url + reverse("admin:login"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Authenticator code").fill(token)
    page.get_by_role("button", name="Log in").click()


def test_staff_enrol_an_authenticator_then_sign_in_with_its_code(live_server, new_context, settings, django_user_model):
    settings.ADMIN_REQUIRE_2FA = True
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    page = new_context(axe=True).new_page()

    sign_in(page, live_server.url, PASSWORD)
    page.wait_for_url(live_server.url + reverse("admin:two_factor"))
    expect(page.get_by_text("Two-factor sign-in is required for staff accounts")).to_be_visible()
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    assert (found := run_axe(page)) == [], describe_violations(found)

    key = b32decode(page.locator("dd code").first.inner_text().replace(" ", ""))
    page.get_by_label("Authenticator code").fill(code(key))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(live_server.url + reverse("admin:index"))
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    sign_in(page, live_server.url, PASSWORD, token=code(key, steps_ahead=1))  # a code not used yet
    page.wait_for_url(live_server.url + reverse("admin:index"))
    expect(page.get_by_role("link", name="Two-factor sign-in")).to_be_visible()


def test_the_lockout_page_has_no_wcag_violations(live_server, new_context, settings, django_user_model):
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    page = new_context(axe=True).new_page()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, live_server.url, "wrong")

    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    assert (found := run_axe(page)) == [], describe_violations(found)
