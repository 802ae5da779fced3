"""The editors' workflow in a browser: a save refused because another editor saved first keeps what was typed;
the history compares two revisions and reverts to one; the import screen checks a file before writing it."""

import json

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from hearings.models import Hearing

from .support import SEED_HEARING, describe_violations, run_axe
from .test_hearing_screen import log_in, without_admin_breadcrumbs


def _editor(username):
    return get_user_model().objects.create_superuser(username, f"{username}@example.org", "password")


def _no_violations(page):
    violations = without_admin_breadcrumbs(run_axe(page))
    assert violations == [], f"axe-core found WCAG 2.1 A/AA violations:\n{describe_violations(violations)}"


def test_a_stale_save_is_refused_with_who_and_keeps_the_typed_text(live_server, seeded, new_context):
    hearing = Hearing.objects.get(slug=SEED_HEARING)
    url = live_server.url + reverse("admin:hearings_hearing_change", args=[hearing.pk])
    alice, bob = new_context(1400, axe=True).new_page(), new_context(1400).new_page()
    log_in(alice, live_server, _editor("alice"), url)
    log_in(bob, live_server, _editor("bob"), url)

    bob.locator("#id_segments-0-appearances-0-summary_en").fill("Bob's correction of the first speaker.")
    bob.locator("input[name=_continue]").first.click()
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")

    alice.locator("#id_summary_en").fill("Alice's new summary of the hearing.")
    alice.locator("input[name=_continue]").first.click()

    expect(alice.locator(".errornote")).to_be_visible()
    expect(alice.locator(".errorlist").first).to_contain_text("changed by bob")
    expect(alice.locator("#id_summary_en")).to_have_value("Alice's new summary of the hearing.")
    _no_violations(alice)
    hearing.refresh_from_db()
    assert hearing.summary != "Alice's new summary of the hearing."


def test_history_compares_two_revisions_and_reverts(live_server, seeded, new_context):
    hearing = Hearing.objects.get(slug=SEED_HEARING)
    original_summary = hearing.summary
    page = new_context(1280, axe=True).new_page()
    change_url = live_server.url + reverse("admin:hearings_hearing_change", args=[hearing.pk])
    log_in(page, live_server, _editor("carol"), change_url)
    page.locator("#id_summary_en").fill("A summary to be undone.")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(2)
    _no_violations(page)
    page.get_by_role("button", name="Compare the chosen revisions").click()
    expect(page.locator("ins", has_text="A summary to be undone.")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Back to the history").click()
    page.locator("#change-history tbody tr").last.locator("th a").click()  # the oldest revision
    expect(page.locator("#id_summary_en")).to_have_value(original_summary)
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    hearing.refresh_from_db()
    assert hearing.summary == original_summary  # line breaks as stored, not as the browser sent them


def test_import_screen_checks_the_file_then_imports(live_server, seeded, new_context, tmp_path):
    exported = Client().get(reverse("api:hearing-detail", args=[SEED_HEARING])).json()
    exported.update(slug="a-copy-of-the-third-hearing", ordinal=None)
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    page = new_context(1280, axe=True).new_page()
    url = live_server.url + reverse("admin:hearings_hearing_import")
    log_in(page, live_server, _editor("dave"), url)
    _no_violations(page)
    page.get_by_label("JSON file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    _no_violations(page)
    assert not Hearing.objects.filter(slug="a-copy-of-the-third-hearing").exists()

    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text("1 hearing imported as a draft from copy.json")
    assert Hearing.objects.get(slug="a-copy-of-the-third-hearing").status == Hearing.Status.DRAFT
