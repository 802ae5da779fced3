"""axe-core finds no WCAG 2.1 A or AA violation on any public page type, in English, Arabic and Chinese, on a
laptop and on a phone, nor on the editors' hearing screen; each public page type is photographed at both widths
for the README, and the hearing page in Arabic and Chinese too."""

import pytest
from django.urls import reverse

from .support import SCREENSHOTS, describe_violations, public_pages, run_axe


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_have_no_wcag_violations(live_server, seeded, new_context, width, language):
    """Every public page type, in English and in the two languages of other scripts (Arabic right to left)."""
    page = new_context(width, axe=True).new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    statuses, expected_statuses, too_wide, violations = {}, {}, {}, {}

    for name, path, status in public_pages():
        if language != "en":
            path = f"/{language}{path}"
        response = page.goto(live_server.url + path)
        statuses[name], expected_statuses[name] = response.status, status
        if language == "en":
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png")
        elif name == "hearing-detail":
            page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{width}.png")
        # Nothing should make the reader scroll sideways: text reflows to the window (WCAG 1.4.10).
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
        found = run_axe(page)
        if found:
            violations[name] = found

    assert statuses == expected_statuses
    assert too_wide == {}, f"pages wider than the {width} px window (scroll width by page)"
    report = "\n".join(f"{name}:\n{describe_violations(found)}" for name, found in violations.items())
    assert violations == {}, f"axe-core found WCAG 2.1 A/AA violations at {width} px:\n{report}"


def test_admin_hearing_add_page_has_no_wcag_violations(live_server, new_context, admin_user):
    page = new_context(axe=True).new_page()
    page.goto(live_server.url + reverse("admin:hearings_hearing_add"))
    assert run_axe(page) == []  # the login page, on the way

    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + reverse("admin:hearings_hearing_add"))
    assert (blank := run_axe(page)) == [], describe_violations(blank)

    # The rows an editor adds: a link, a participating group, a segment and a speaker in it.
    page.get_by_text("Add another Link", exact=True).click()
    page.get_by_text("Add another Participating Stakeholder Group", exact=True).click()
    page.get_by_text("Add another Segment", exact=True).click()
    page.locator("#segments-0").get_by_text("Add another Appearance", exact=True).click()
    page.wait_for_selector("#id_segments-0-appearances-0-person + .select2")

    violations = run_axe(page)
    assert violations == [], f"axe-core found WCAG 2.1 A/AA violations:\n{describe_violations(violations)}"


def test_axe_reports_a_page_that_breaks_the_rules(new_context):
    """The check can fail: an image without a text alternative and a field without a label are reported."""
    page = new_context(axe=True).new_page()
    page.route(
        "http://broken.invalid/",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!DOCTYPE html><html lang="en"><title>Broken</title><main><img src="data:,">'
            '<input type="text"></main></html>',
        ),
    )
    page.goto("http://broken.invalid/")

    assert sorted(violation["id"] for violation in run_axe(page)) == ["image-alt", "label"]
