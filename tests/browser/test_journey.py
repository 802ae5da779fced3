"""From the editor's screen to the visitor's: a hearing entered in the admin, kept from the public as a draft,
published, then found by stakeholder group and by a speaker's name typed without accents; and a visitor reading
Arabic or Chinese finding a hearing by its stakeholder group, on a laptop and on a phone."""

import datetime
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from hearings.domain.record_text import column
from hearings.models import Appearance, Hearing, Organization, Person, StakeholderGroup

from .support import SEED_HEARING, describe_violations, run_axe

TITLE = "Hearing on the rights of migrant workers"
PROCESS = "High-level meeting on addressing large movements of refugees and migrants"
NEW_PERSON = "Zoë Ñúñez"
PASSWORD = "a long editor password"


@pytest.fixture
def editor(seeded):
    """A member of the "Editors" group, made the way its migration makes it.

    Each transactional test empties every table afterwards, migration-made rows included.
    """
    migration = importlib.import_module("hearings.migrations.0002_editors_group")
    migration.create_editors_group(apps, SimpleNamespace(connection=connection))
    user = get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=migration.GROUP_NAME))
    return user


def choose(page, select_id, typed, choice):
    """Pick `choice` in an autocomplete box (select2) after typing `typed` in its search field."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-container--open .select2-results__option", has_text=choice).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_contain_text(choice)


def add_segment(page, index, *, kind, title):
    page.get_by_text("Add another Segment", exact=True).click()
    page.locator(f"#id_segments-{index}-kind").select_option(label=kind)
    page.locator(f"#id_segments-{index}-title_en").fill(title)


def add_appearance(page, segment):
    page.locator(f"#segments-{segment}").get_by_text("Add another Appearance", exact=True).click()


def listed_titles(page):
    return page.locator(".hearing-row__title").all_inner_texts()


def test_editor_enters_a_draft_publishes_it_and_a_visitor_finds_it(live_server, editor, new_context):
    admin = new_context().new_page()
    script_errors = []
    admin.on("pageerror", lambda error: script_errors.append(str(error)))
    add_url = live_server.url + reverse("admin:hearings_hearing_add")

    # The editor logs in on the way to the hearing screen.
    admin.goto(add_url)
    admin.get_by_label("Username").fill(editor.username)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url(add_url)

    admin.locator("#id_process").select_option(label=PROCESS)
    admin.locator("#id_title_en").fill(TITLE)
    admin.locator("#id_date").fill("2019-05-02")
    expect(admin.locator("#id_status")).to_have_value("draft")

    add_segment(admin, 0, kind="Opening segment", title="Opening")
    add_appearance(admin, 0)
    choose(admin, "id_segments-0-appearances-0-person", "LAJCAK", "Miroslav Lajčák")
    admin.locator("#id_segments-0-appearances-0-role").select_option(label="Chair")
    choose(admin, "id_segments-0-appearances-0-organization", "president", "President of the General Assembly")

    add_segment(admin, 1, kind="Panel", title="First panel")
    admin.locator("#id_segments-1-theme_en").fill("Decent work for migrant workers")
    add_appearance(admin, 1)
    choose(admin, "id_segments-1-appearances-0-person", "bloom", "Tendayi Bloom")
    admin.locator("#id_segments-1-appearances-0-role").select_option(label="Panelist")
    choose(admin, "id_segments-1-appearances-0-organization", "open univ", "The Open University")

    # A speaker the records do not know yet, added from the hearing screen through the "+" window.
    add_appearance(admin, 1)
    with admin.expect_popup() as popup_info:
        admin.locator("#add_id_segments-1-appearances-1-person").click()
    popup = popup_info.value
    popup.locator("#id_honorific_prefix").fill("Ms.")
    popup.locator("#id_name").fill(NEW_PERSON)
    popup.locator("#id_sort_name").fill("Ñúñez, Zoë")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    expect(admin.locator("#select2-id_segments-1-appearances-1-person-container")).to_contain_text(NEW_PERSON)
    admin.locator("#id_segments-1-appearances-1-role").select_option(label="Panelist")
    admin.locator("#id_segments-1-appearances-1-position_title_en").fill("Coordinator")
    choose(admin, "id_segments-1-appearances-1-organization", "education", "Education International")
    admin.locator("#id_segments-1-appearances-1-summary_en").fill("Called for the portability of social security.")

    admin.locator("input[name=_save]").first.click()
    expect(admin.locator(".messagelist .success")).to_contain_text("was added successfully")

    hearing = Hearing.objects.get(title=TITLE)
    assert (hearing.slug, hearing.date, hearing.status) == (
        "hearing-on-the-rights-of-migrant-workers",
        datetime.date(2019, 5, 2),
        Hearing.Status.DRAFT,
    )
    assert list(hearing.segments.values_list("position", "kind", "title")) == [
        (1, "opening", "Opening"),
        (2, "panel", "First panel"),
    ]
    assert list(
        Appearance.objects.filter(segment__hearing=hearing).values_list(
            "segment__title", "person__name", "role", "organization__name"
        )
    ) == [
        ("Opening", "Miroslav Lajčák", "chair", "President of the General Assembly"),
        ("First panel", "Tendayi Bloom", "panelist", "The Open University"),
        ("First panel", NEW_PERSON, "panelist", "Education International"),
    ]
    person = Person.objects.get(name=NEW_PERSON)
    assert (person.slug, person.sort_name, person.honorific_prefix) == ("zoe-nunez", "Ñúñez, Zoë", "Ms.")

    # A visitor meanwhile sees nothing of the draft.
    visitor = new_context().new_page()
    assert visitor.goto(live_server.url + hearing.get_absolute_url()).status == 404
    assert visitor.goto(live_server.url + person.get_absolute_url()).status == 404
    visitor.goto(live_server.url + reverse("hearings:hearing_list") + "?q=zoe+nunez")
    expect(visitor.locator("#results-heading")).to_have_text("No results", ignore_case=True)
    assert listed_titles(visitor) == []
    visitor.goto(live_server.url + reverse("hearings:hearing_list"))
    assert TITLE not in listed_titles(visitor)

    # The editor publishes it with the list's action.
    admin.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option(label="Publish selected hearings")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist .success")).to_have_text("1 hearing published.")
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.PUBLISHED

    # The visitor filters the hearings by the new speaker's stakeholder group...
    group = Organization.objects.get(name="Education International").stakeholder_group
    visitor.goto(live_server.url + reverse("hearings:hearing_list"))
    visitor.get_by_role("checkbox", name=re.compile(rf"^{re.escape(group.name)}\b")).check()
    visitor.get_by_role("button", name="Apply filters").click()
    visitor.wait_for_url(re.compile(rf"[?&]stakeholder_group={group.slug}(&|$)"))
    expected = Hearing.objects.published().for_stakeholder_groups([group]).order_by("-date", "-ordinal", "-pk")
    assert listed_titles(visitor) == [h.title for h in expected]
    assert TITLE in listed_titles(visitor)

    # ...and searches for her name typed without its accents, from the header.
    visitor.get_by_role("searchbox", name="Search hearings").fill("zoe nunez")
    visitor.get_by_role("searchbox", name="Search hearings").press("Enter")
    visitor.wait_for_url(re.compile(r"[?&]q=zoe\+nunez(&|$)"))
    assert listed_titles(visitor) == [TITLE]

    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    speaker = visitor.locator(".speaker", has_text=NEW_PERSON)
    expect(speaker).to_contain_text("Panelist:")
    expect(speaker).to_contain_text("Coordinator, Education International")

    visitor.get_by_role("link", name=NEW_PERSON).click()
    assert visitor.url == live_server.url + person.get_absolute_url()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Ms. {NEW_PERSON}")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()

    assert script_errors == []


# Made-up translations of the seed hearing's title, entered as an editor would for this test only.
TRANSLATED_TITLES = {"ar": "جلسة الاستماع الثالثة (ترجمة للاختبار)", "zh-hans": "第三次听证会测试译文"}


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_visitor_reading_arabic_or_chinese_finds_a_hearing_by_its_stakeholder_group(
    live_server, seeded, new_context, language, width
):
    hearing = Hearing.objects.get(slug=SEED_HEARING)
    setattr(hearing, column("title", language), TRANSLATED_TITLES[language])
    hearing.save()
    group = StakeholderGroup.objects.get(slug="civil-society")
    with translation.override(language):
        labels = {text: translation.gettext(text) for text in ("Hearings", "Apply filters")}
        group_name = group.name
    page = new_context(width, axe=True).new_page()

    page.goto(live_server.url + f"/{language}/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        language,
        "rtl" if language == "ar" else "ltr",
    ]
    assert run_axe(page) == []
    page.locator(".nav-list").get_by_role("link", name=labels["Hearings"], exact=True).click()
    page.wait_for_url(live_server.url + f"/{language}/hearings/")
    page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(group_name)}")).check()
    page.get_by_role("button", name=labels["Apply filters"]).click()
    page.wait_for_url(re.compile(r"[?&]stakeholder_group=civil-society(&|$)"))
    assert TRANSLATED_TITLES[language] in listed_titles(page)
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name=TRANSLATED_TITLES[language]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TRANSLATED_TITLES[language])
    # The summary has no translation: shown in English, marked as such, with the note.
    expect(page.locator('[lang="en"]').filter(has_text="The President of the General Assembly").first).to_be_visible()
    expect(page.locator(".note--language")).to_be_visible()
    assert (violations := run_axe(page)) == [], describe_violations(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
