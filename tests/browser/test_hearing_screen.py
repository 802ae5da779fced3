"""The hearing screen and the hearing list at a laptop's width: nothing runs past the window's edge, long texts
show whole, a list row stays a few lines tall, and a hearing sent back with errors keeps what the editor typed
and says where the errors are."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hearings.models import Hearing, Process

from .support import SCREENSHOTS, SEED_HEARING, describe_violations, run_axe

WIDTH = 1400
DUPLICATE = "This person already has this role in this segment."
REQUIRED = "This field is required."

# Where each speaker's "what they said" box is, against the window's width.
SUMMARY_BOXES = """() => [...document.querySelectorAll('textarea[name*="-appearances-"][name$="-summary_en"]')]
    .filter(box => !box.name.includes("__prefix__"))
    .map(box => {
        const {left, right} = box.getBoundingClientRect();
        return {name: box.name, left, right, window: document.documentElement.clientWidth};
    })"""


def log_in(page, live_server, user, url):
    page.goto(url)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url)


def outside_the_window(page):
    return [box["name"] for box in page.evaluate(SUMMARY_BOXES) if box["left"] < 0 or box["right"] > box["window"]]


def without_admin_breadcrumbs(violations):
    """The violations, less Django admin's breadcrumbs: links told from the hearing's title by colour alone.

    The admin's own stylesheet draws them on every change page; this screen adds nothing there.
    """
    kept = []
    for violation in violations:
        if violation["id"] == "link-in-text-block":
            nodes = [node for node in violation["nodes"] if not node["target"][0].startswith(".breadcrumbs")]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        kept.append(violation)
    return kept


def choose(page, select_id, typed, choice):
    """Pick `choice` in an autocomplete box (select2) after typing `typed` in its search field."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-container--open .select2-results__option", has_text=choice).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_contain_text(choice)


@pytest.fixture
def hearing(seeded):
    return Hearing.objects.get(slug=SEED_HEARING)


@pytest.fixture
def screen(live_server, admin_user, hearing, new_context):
    """The seed hearing's screen, 1400 pixels wide, with axe-core in the page."""
    page = new_context(WIDTH, axe=True).new_page()
    log_in(page, live_server, admin_user, live_server.url + reverse("admin:hearings_hearing_change", args=[hearing.pk]))
    page.wait_for_selector("#id_segments-0-appearances-0-person + .select2")
    return page


def test_hearing_screen_fits_the_window(screen, hearing):
    widths = screen.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], "the hearing screen scrolls sideways"

    title = screen.locator("#id_title_en")
    expect(title).to_have_value(hearing.title)
    assert title.evaluate("input => input.scrollWidth <= input.clientWidth"), "the title is cut"

    # The long single-line texts are as wide as each other: the form's width after the label.
    boxes = ["#id_title_en", "#id_convener_en", "#id_mandate_en", "#id_segments-0-theme_en"]
    edges = {box: round(screen.locator(box).bounding_box()["width"]) for box in boxes}
    assert len(set(edges.values())) == 1, edges

    summaries = screen.evaluate(SUMMARY_BOXES)
    assert len(summaries) == sum(segment.appearances.count() for segment in hearing.segments.all())
    assert outside_the_window(screen) == []
    # Each one has a label of its own on its line.
    first = screen.locator("#id_segments-0-appearances-0-summary_en")
    expect(screen.get_by_label("What they said").first).to_be_visible()
    expect(first).to_have_accessible_name("What they said")

    violations = without_admin_breadcrumbs(run_axe(screen))
    assert violations == [], f"axe-core found WCAG 2.1 A/AA violations:\n{describe_violations(violations)}"

    # The picture in docs/screenshots/: the first segment and its speakers.
    screen.locator("#segments-0").evaluate("segment => segment.scrollIntoView()")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screen.screenshot(path=SCREENSHOTS / f"admin-hearing-change-{WIDTH}.png")


def test_hearing_list_rows_are_a_few_lines_tall(live_server, admin_user, hearing, new_context):
    # One process with a short name, one with only a long one.
    Process.objects.filter(pk=hearing.process_id).update(short_name="GCM preparations")
    for process in Process.objects.exclude(pk=hearing.process_id):
        process.name += ", held by the General Assembly with a longer name than any the records have yet"
        process.save()
    page = new_context(WIDTH).new_page()
    log_in(page, live_server, admin_user, live_server.url + reverse("admin:hearings_hearing_changelist"))

    row = page.locator("#result_list tbody tr").filter(has_text=hearing.title)
    expect(row.locator("td.field-process_name")).to_have_text("GCM preparations")
    lines = page.evaluate(
        """() => [...document.querySelectorAll('#result_list tbody tr')].map(row => {
            const cell = getComputedStyle(row.querySelector('td'));
            const padding = parseFloat(cell.paddingTop) + parseFloat(cell.paddingBottom);
            return (row.getBoundingClientRect().height - padding) / parseFloat(cell.lineHeight);
        })"""
    )
    assert len(lines) == Hearing.objects.count()
    assert max(lines) <= 3.5, f"rows as tall as {lines} lines of text"


def test_hearing_sent_back_with_speaker_errors_keeps_what_was_typed(screen, hearing):
    """The same person twice in one role in a segment, and a speaker without a person: nothing is saved, every
    typed value is still there, and each error stands by its row and field."""
    edited_title = f"{hearing.title} (edited)"
    said = "Said that the edit must survive the errors."
    screen.locator("#id_title_en").fill(edited_title)
    screen.locator("#id_segments-0-appearances-0-summary_en").fill(said)

    # The opening segment's second speaker becomes its first one again, in the same role.
    segments = list(hearing.segments.order_by("position"))
    first = segments[0].appearances.order_by("position").first()
    choose(screen, "id_segments-0-appearances-1-person", "lajcak", first.person.name)

    # A new speaker in the first panel with a role and words, but no person.
    panel = screen.locator("#segments-1")
    new = segments[1].appearances.count()
    panel.get_by_text("Add another Appearance", exact=True).click()
    screen.locator(f"#id_segments-1-appearances-{new}-role").select_option(label="Panelist")
    screen.locator(f"#id_segments-1-appearances-{new}-summary_en").fill("Spoke, but who?")

    screen.locator("input[name=_save]").first.click()
    expect(screen.locator(".errornote")).to_be_visible()

    # Nothing was saved; everything typed is back.
    hearing.refresh_from_db()
    assert hearing.title != edited_title
    expect(screen.locator("#id_title_en")).to_have_value(edited_title)
    expect(screen.locator("#id_segments-0-appearances-0-summary_en")).to_have_value(said)
    expect(screen.locator("#select2-id_segments-0-appearances-1-person-container")).to_contain_text(first.person.name)
    expect(screen.locator(f"#id_segments-1-appearances-{new}-role")).to_have_value("panelist")
    expect(screen.locator(f"#id_segments-1-appearances-{new}-summary_en")).to_have_value("Spoke, but who?")

    # The duplicate: the constraint's message, in the offending row, above its fields.
    duplicate = screen.locator("#segments-0-appearances-1 .errorlist").filter(has_text=DUPLICATE).first
    expect(duplicate).to_be_visible()
    duplicate.scroll_into_view_if_needed()
    expect(duplicate).to_be_in_viewport()

    # The missing person: the message in the person's cell, and the box that stands for the field says so.
    person = f"id_segments-1-appearances-{new}-person"
    missing = screen.locator(f"#segments-1-appearances-{new} td.field-person .errorlist")
    expect(missing).to_have_text(REQUIRED)
    expect(missing).to_be_visible()
    expect(screen.locator(f"#{person}")).to_have_attribute("aria-invalid", "true")
    combobox = screen.locator(f"#{person} + .select2 .select2-selection")
    expect(combobox).to_have_attribute("aria-invalid", "true")
    expect(combobox).to_have_accessible_description(REQUIRED)
    combobox.focus()
    expect(combobox).to_be_focused()
    expect(combobox).to_be_in_viewport()

    # The page sent back fits the window as the first one did.
    assert outside_the_window(screen) == []
    widths = screen.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
